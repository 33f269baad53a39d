// Connection page sizes: asking for more than the limit is an error, not a silent clamp.
import { z } from 'zod';

export const MAX_PAGE_SIZE = 100;

const pageSize = z
  .int()
  .min(0, 'must not be negative')
  .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`)
  .nullish();

/** Validates `first` / `last` of any connection field's arguments. */
export const pageSizeLimit = z.looseObject({ first: pageSize, last: pageSize });
