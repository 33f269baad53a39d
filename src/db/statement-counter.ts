// Counts the SQL statements Prisma sends through a driver adapter, so tests and benchmarks
// can prove a query costs a fixed number of statements whatever its page size.
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';

export interface StatementCounter {
  readonly count: number;
}

const COUNTED_METHODS = new Set<PropertyKey>(['queryRaw', 'executeRaw']);

function counting<T extends object>(target: T, counter: { count: number }): T {
  return new Proxy(target, {
    get(object, property) {
      const value = Reflect.get(object, property, object) as unknown;
      if (typeof value !== 'function') return value;
      if (COUNTED_METHODS.has(property)) {
        return (...args: unknown[]) => {
          counter.count++;
          return value.apply(object, args);
        };
      }
      if (property === 'startTransaction') {
        return async (...args: unknown[]) => counting(await value.apply(object, args), counter);
      }
      return value.bind(object);
    },
  });
}

export function countStatements<F extends SqlDriverAdapterFactory>(factory: F): { factory: F; counter: StatementCounter } {
  const counter = { count: 0 };
  const wrapped = Object.assign(Object.create(factory) as F, {
    connect: async () => counting(await factory.connect(), counter),
  });
  return { factory: wrapped, counter };
}
