// Decoding Relay global ids that arrive inside input objects (arguments use t.arg.globalID).
import { decodeGlobalID } from '@pothos/plugin-relay';

/**
 * The database id inside a global id of `typename`. A malformed id or one of another type
 * yields a value that matches no row, so the service reports NOT_FOUND on the right field.
 */
export function decodeNodeId(globalId: string, typename: string): string {
  try {
    const { typename: actual, id } = decodeGlobalID(globalId);
    return actual === typename ? id : '';
  } catch {
    return '';
  }
}
