// GraphiQL served from our own node_modules (yoga's default page loads it from a CDN,
// which an offline or locked-down deployment cannot reach).
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';

const ASSET_PREFIX = '/graphiql/';
const require = createRequire(import.meta.url);

const ASSETS: Record<string, { packageName: string; file: string; type: string }> = {
  'graphiql.min.css': { packageName: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
  'graphiql.min.js': { packageName: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  'react.production.min.js': { packageName: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  'react-dom.production.min.js': {
    packageName: 'react-dom',
    file: 'umd/react-dom.production.min.js',
    type: 'text/javascript',
  },
};

const loaded = new Map<string, Promise<Buffer>>();

function readAsset(name: string, asset: { packageName: string; file: string }): Promise<Buffer> {
  let content = loaded.get(name);
  if (!content) {
    // Resolved from package.json: the packages' export maps don't list their UMD builds.
    const packageDir = path.dirname(require.resolve(`${asset.packageName}/package.json`));
    content = fs.readFile(path.join(packageDir, asset.file));
    loaded.set(name, content);
  }
  return content;
}

/** Serves the four files the GraphiQL page needs under /graphiql/. */
export function graphiqlAssets(): Plugin {
  return {
    async onRequest({ url, endResponse }) {
      if (!url.pathname.startsWith(ASSET_PREFIX)) return;
      const name = url.pathname.slice(ASSET_PREFIX.length);
      const asset = ASSETS[name];
      if (!asset) return endResponse(new Response('Not found', { status: 404 }));
      const body = await readAsset(name, asset);
      endResponse(
        new Response(new Uint8Array(body), {
          headers: { 'content-type': `${asset.type}; charset=utf-8`, 'cache-control': 'public, max-age=86400' },
        }),
      );
    },
  };
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function renderGraphiQL(options: GraphiQLOptions): string {
  const config = {
    endpoint: options.endpoint ?? '/graphql',
    defaultQuery: options.defaultQuery,
    headers: options.headers,
  };
  const title = (options.title ?? 'GraphiQL').replace(/[<&"]/g, '');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${title}</title>
  <link rel="stylesheet" href="${ASSET_PREFIX}graphiql.min.css">
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Loading ${title}…</div>
  <script src="${ASSET_PREFIX}react.production.min.js"></script>
  <script src="${ASSET_PREFIX}react-dom.production.min.js"></script>
  <script src="${ASSET_PREFIX}graphiql.min.js"></script>
  <script>
    const config = ${scriptJson(config)};
    const fetcher = GraphiQL.createFetcher({ url: new URL(config.endpoint, location.href).toString() });
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, {
        fetcher,
        defaultQuery: config.defaultQuery,
        headers: config.headers,
        defaultEditorToolsVisibility: config.headers ? 'headers' : false,
        shouldPersistHeaders: false,
      }),
    );
  </script>
</body>
</html>`;
}
