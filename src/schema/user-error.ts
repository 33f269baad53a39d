// The UserError interface that every mutation payload's `userErrors` implements.
import type { ServiceResult, UserError } from '../services/user-errors.ts';
import { builder } from './builder.ts';

export const UserErrorInterface = builder.interfaceRef<UserError>('UserError').implement({
  description: 'Something in the input the caller can fix. `field` is the path to the input field.',
  fields: (t) => ({
    field: t.exposeStringList('field', { nullable: true }),
    message: t.exposeString('message'),
    index: t.int({
      nullable: true,
      description: 'In bulk inputs: the position of the row at fault.',
      resolve: (error) => error.index ?? null,
    }),
  }),
});

/** A domain's user error type: UserError plus a `code` from that domain's enum. */
export function defineUserErrorType(name: string, codes: readonly string[], description: string) {
  const CodeEnum = builder.enumType(`${name}Code`, { values: codes });
  return builder.objectRef<UserError>(name).implement({
    description,
    interfaces: [UserErrorInterface],
    isTypeOf: () => true,
    fields: (t) => ({
      code: t.field({ type: CodeEnum, resolve: (error) => error.code }),
    }),
  });
}

export const SortDirection = builder.enumType('SortDirection', { values: ['ASC', 'DESC'] as const });

/** A mutation payload from a service result: `{ [key]: value | null, userErrors }`. */
export function payloadOf<Key extends string, T>(
  key: Key,
  result: ServiceResult<T>,
): { [K in Key]: T | null } & { userErrors: UserError[] } {
  const value = result.ok ? result.value : null;
  return { [key]: value, userErrors: result.ok ? [] : result.userErrors } as { [K in Key]: T | null } & { userErrors: UserError[] };
}
