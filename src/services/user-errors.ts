// Business errors as data: what a caller can fix, with the input path that caused it.
import type { z } from 'zod';

export interface UserError<Code extends string = string> {
  /** Path to the input field, e.g. ["input", "sku"]; null when no single field is at fault. */
  field: string[] | null;
  message: string;
  code: Code;
  /** In bulk inputs: the position of the row at fault. */
  index?: number;
}

export type ServiceResult<T, Code extends string = string> =
  | { ok: true; value: T }
  | { ok: false; userErrors: UserError<Code>[] };

export const succeed = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

export const fail = <Code extends string>(...userErrors: UserError<Code>[]): { ok: false; userErrors: UserError<Code>[] } => ({
  ok: false,
  userErrors,
});

/** Validates with zod; every issue becomes a user error under `pathPrefix`. */
export function parseInput<Schema extends z.ZodType, Code extends string>(
  schema: Schema,
  input: unknown,
  pathPrefix: string[],
  code: Code,
): ServiceResult<z.output<Schema>, Code> {
  const result = schema.safeParse(input);
  if (result.success) return succeed(result.data);
  return fail(
    ...result.error.issues.map((issue) => {
      const field = [...pathPrefix, ...issue.path.map(String)];
      return { field, message: `${field.at(-1) ?? 'input'} ${issue.message}`, code };
    }),
  );
}

/** Parsed input as Prisma data: `undefined` means "leave alone", so the keys are dropped. */
export function withoutUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}

/** True for a unique-constraint violation (Prisma P2002), whichever driver adapter raised it. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

/**
 * Runs `work` again once when it hit a unique constraint: a concurrent request claimed the same
 * key between our check and our write, and the second run sees (and reports) what it wrote.
 */
export async function retryOnUniqueViolation<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return work();
  }
}
