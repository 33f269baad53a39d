// How a wire body that failed its zod schema is described: the first issue, with its path.
import type { z } from 'zod';

/** e.g. "body.order_code: missing"; `under` prefixes the path when the schema read a part of the body. */
export function firstIssue(error: z.ZodError, under?: string): string {
  const issue = error.issues[0]!;
  const path = [...(under ? [under] : []), ...issue.path.map(String)].join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
