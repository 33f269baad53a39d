// The one way provider clients talk HTTP: a timeout on every call, no redirects, transport
// failures mapped to ProviderError; and the call record (method, duration, outcome) of each
// operation, parsing included, since a 200 can still carry a business error.
import { ProviderError, type ProviderCallRecorder, type ProviderName } from './types.ts';

export interface ProviderRequest {
  provider: ProviderName;
  /** The provider operation, for the call record (e.g. "getWarehouse"). */
  method: string;
  url: string;
  init: RequestInit;
  timeoutMs: number;
}

/**
 * Runs one provider operation (request and parsing) and records its outcome. Any error that is
 * not already a ProviderError (a parse failure, say) becomes MALFORMED.
 */
export async function recordedCall<T>(
  request: { provider: ProviderName; method: string; record?: ProviderCallRecorder },
  work: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  try {
    const result = await work();
    request.record?.({ provider: request.provider, method: request.method, durationMs: elapsed(started), outcome: 'OK' });
    return result;
  } catch (error) {
    const providerError = toProviderError(request.provider, error);
    request.record?.({ provider: request.provider, method: request.method, durationMs: elapsed(started), outcome: providerError.code });
    throw providerError;
  }
}

/** Sends the request and returns the body of a 2xx answer as text. */
export async function providerFetch(request: ProviderRequest): Promise<string> {
  let response: Response;
  try {
    // A redirect is never followed: it could carry credentials to another host.
    response = await fetch(request.url, { ...request.init, redirect: 'manual', signal: AbortSignal.timeout(request.timeoutMs) });
  } catch (error) {
    if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      throw new ProviderError(request.provider, 'TIMEOUT', `${request.method}: no answer within ${request.timeoutMs} ms`, { cause: error });
    }
    throw new ProviderError(request.provider, 'UNAVAILABLE', `${request.method}: ${describeNetworkError(error)}`, { cause: error });
  }
  const body = await response.text().catch((error: unknown) => {
    throw new ProviderError(request.provider, 'UNAVAILABLE', `${request.method}: the answer broke off`, { cause: error });
  });
  if (response.status >= 500) {
    throw new ProviderError(request.provider, 'UNAVAILABLE', `${request.method}: HTTP ${response.status}`);
  }
  if (response.status === 401 || response.status === 403) {
    throw new ProviderError(request.provider, 'AUTH', `${request.method}: HTTP ${response.status}`);
  }
  if (response.status >= 300 && response.status < 400) {
    throw new ProviderError(request.provider, 'REJECTED', `${request.method}: HTTP ${response.status} redirect, not followed`);
  }
  if (response.status >= 400) {
    throw new ProviderError(request.provider, 'REJECTED', `${request.method}: HTTP ${response.status}`);
  }
  return body;
}

function toProviderError(provider: ProviderName, error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  return new ProviderError(provider, 'MALFORMED', error instanceof Error ? error.message : String(error), { cause: error });
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string } })?.cause;
  return cause?.code ? `network error ${cause.code}` : 'network error';
}

const elapsed = (started: number) => Math.round(performance.now() - started);
