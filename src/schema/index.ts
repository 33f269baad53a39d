// Assembles the GraphQL schema from every domain file.
import { lexicographicSortSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.ts';
import './scalars.ts';
import './enums.ts';
import './user-error.ts';
import './merchant.ts';
import './master-sku.ts';
import './store.ts';
import './warehouse.ts';
import './warehouse-product.ts';
import './inbound.ts';
import './stock.ts';
import './order.ts';
import './shipping-rule.ts';
import './integration.ts';

let schema: GraphQLSchema | undefined;

/** Built once per process: the schema is static, the database comes with each request. */
export function getSchema(): GraphQLSchema {
  schema ??= builder.toSchema();
  return schema;
}

export function printableSchema(): GraphQLSchema {
  return lexicographicSortSchema(getSchema());
}
