// Every root field declares who may call it, so no new field is public by accident and
// SUPPORT (read-only) can never reach a mutation.
import { describe, expect, it } from 'vitest';
import { builder } from '../../src/schema/builder.ts';
import { getSchema } from '../../src/schema/index.ts';

type Scopes = Record<string, boolean> | undefined;

function rootFieldScopes(typeName: 'Query' | 'Mutation'): Map<string, Scopes> {
  getSchema();
  const fields = builder.configStore.getFields(typeName);
  return new Map([...fields].map(([name, config]) => [name, (config.pothosOptions as { authScopes?: Scopes }).authScopes]));
}

/** Relay's node lookups: each node type checks merchantRead itself. */
const NODE_LOOKUPS = ['node', 'nodes'];

describe('auth scopes of root fields', () => {
  it('every query but the node lookups requires a scope', () => {
    const unscoped = [...rootFieldScopes('Query')].filter(([name, scopes]) => !scopes && !NODE_LOOKUPS.includes(name));

    expect(unscoped.map(([name]) => name)).toEqual([]);
  });

  it('every mutation requires merchantWrite or service, never support', () => {
    const mutations = [...rootFieldScopes('Mutation')];

    expect(mutations.length).toBeGreaterThan(5);
    for (const [name, scopes] of mutations) {
      const granted = Object.entries(scopes ?? {}).filter(([, on]) => on).map(([scope]) => scope);
      expect({ name, granted: granted.filter((scope) => scope === 'merchantWrite' || scope === 'service').length > 0 }).toEqual({ name, granted: true });
      expect({ name, support: granted.includes('support') || granted.includes('merchantRead') || granted.includes('authenticated') }).toEqual({ name, support: false });
    }
  });
});
