// Sort arguments for connections: a `<Type>Sort { field, direction }` input and its Prisma orderBy.
import { builder } from './builder.ts';
import { SortDirection } from './user-error.ts';

type Direction = 'asc' | 'desc';
export type OrderBy = Record<string, Direction>[];

export function defineSort<Field extends string>(typeName: string, columns: Record<Field, string>) {
  const FieldEnum = builder.enumType(`${typeName}Field`, { values: Object.keys(columns) as Field[] });
  const input = builder.inputType(typeName, {
    fields: (t) => ({
      field: t.field({ type: FieldEnum, required: true }),
      direction: t.field({ type: SortDirection, defaultValue: 'ASC', required: true }),
    }),
  });
  /** The id tie-break keeps pages stable when the sort column repeats; by default, newest first. */
  const orderBy = (sort: { field: Field; direction: 'ASC' | 'DESC' } | null | undefined): OrderBy => {
    if (!sort) return [{ id: 'desc' }];
    const direction: Direction = sort.direction === 'DESC' ? 'desc' : 'asc';
    return [{ [columns[sort.field]]: direction }, { id: direction }];
  };
  return { input, orderBy };
}
