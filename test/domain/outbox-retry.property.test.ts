import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, nominalRetryDelayMs, retryBudgetSpent, retryDelayMs, type RetryPolicy } from '../../src/domain/outbox-retry.ts';

const attempts = fc.integer({ min: 1, max: 200 });
/** What Math.random returns: [0, 1). */
const draw = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const policy: fc.Arbitrary<RetryPolicy> = fc.record({
  baseDelayMs: fc.integer({ min: 1, max: 60_000 }),
  maxDelayMs: fc.integer({ min: 60_000, max: 24 * 3_600_000 }),
  jitter: fc.double({ min: 0, max: 0.45, noNaN: true }),
  maxAttempts: fc.integer({ min: 1, max: 20 }),
});

describe('outbox retry schedule', () => {
  it('starts at 10 s and doubles up to an hour', () => {
    expect([1, 2, 3, 4, 9, 10, 11, 50].map((n) => nominalRetryDelayMs(n))).toEqual([
      10_000, 20_000, 40_000, 80_000, 2_560_000, 3_600_000, 3_600_000, 3_600_000,
    ]);
    expect(retryBudgetSpent(DEFAULT_RETRY_POLICY.maxAttempts - 1)).toBe(false);
    expect(retryBudgetSpent(DEFAULT_RETRY_POLICY.maxAttempts)).toBe(true);
  });

  it('every delay lies within the jitter below its nominal value, and never above the cap', () => {
    fc.assert(
      fc.property(policy, attempts, draw, (p, n, r) => {
        const nominal = nominalRetryDelayMs(n, p);
        const delay = retryDelayMs(n, () => r, p);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(nominal * (1 - p.jitter)));
        expect(delay).toBeLessThanOrEqual(nominal);
        expect(delay).toBeLessThanOrEqual(p.maxDelayMs);
      }),
    );
  });

  it('grows from one attempt to the next, whatever the jitter draws, until the cap is reached', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 15 }), draw, draw, (n, first, second) => {
        fc.pre(nominalRetryDelayMs(n) < DEFAULT_RETRY_POLICY.maxDelayMs);
        expect(retryDelayMs(n, () => first)).toBeLessThanOrEqual(retryDelayMs(n + 1, () => second));
      }),
    );
  });

  it('nominal delays never decrease, for any policy', () => {
    fc.assert(
      fc.property(policy, attempts, (p, n) => {
        expect(nominalRetryDelayMs(n, p)).toBeLessThanOrEqual(nominalRetryDelayMs(n + 1, p));
      }),
    );
  });
});
