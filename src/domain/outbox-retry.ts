// When the outbox tries a provider command again: exponential backoff with jitter, a cap, a budget.

export interface RetryPolicy {
  /** Delay after the first failed attempt. */
  baseDelayMs: number;
  /** No delay is longer than this. */
  maxDelayMs: number;
  /** Up to this fraction of a delay is taken off at random, so retries of many commands spread out. */
  jitter: number;
  /** After this many attempts a command that keeps failing is DEAD. */
  maxAttempts: number;
}

/**
 * 10 s, 20 s, 40 s … doubling up to an hour; twelve attempts ride out a provider outage of
 * about three and a half hours before the command gives up and the merchant is told.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  baseDelayMs: 10_000,
  maxDelayMs: 60 * 60_000,
  jitter: 0.25,
  maxAttempts: 12,
});

/** The delay before the next try, without jitter: base × 2^(attempts − 1), capped. */
export function nominalRetryDelayMs(attempts: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number {
  const doublings = Math.min(Math.max(attempts, 1) - 1, 52);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** doublings);
}

/**
 * The delay before the next try after `attempts` failed ones (1 = the first failure), with
 * jitter that only shortens it: within [(1 − jitter) × nominal, nominal], never above the cap.
 * With jitter below one half, delays grow from one attempt to the next until they reach the cap.
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number {
  const nominal = nominalRetryDelayMs(attempts, policy);
  const draw = Math.min(Math.max(random(), 0), 1);
  return Math.round(nominal * (1 - policy.jitter * draw));
}

/** Whether a command that failed its `attempts`-th try has used up its budget. */
export const retryBudgetSpent = (attempts: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): boolean => attempts >= policy.maxAttempts;
