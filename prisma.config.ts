// Prisma CLI configuration. The CLI is only used offline for generate/validate/format;
// migrations are created and applied by src/db/migrations.ts (wasm schema engine).
import { defineConfig } from 'prisma/config';

const offlineCommands = new Set(['generate', 'validate', 'format']);
if (offlineCommands.has(process.argv[2] ?? '') && !process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  // The CLI insists on a native schema engine even for commands that never run it.
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
}

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
