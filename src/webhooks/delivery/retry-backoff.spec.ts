import { retryDelayMs } from './retry-backoff';

describe('webhook retry backoff', () => {
  const backoff = { baseMs: 1_000, maxMs: 60_000 };

  it('doubles from the base up to the cap, within half and all of each step', () => {
    const low = [1, 2, 3, 4, 5, 6, 7, 8].map((failures) => retryDelayMs(failures, backoff, () => 0));
    const high = [1, 2, 3, 4, 5, 6, 7, 8].map((failures) => retryDelayMs(failures, backoff, () => 1));
    expect(low).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(high).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
  });

  it('stays finite and capped after very many failures', () => {
    expect(retryDelayMs(10_000, backoff, () => 0.5)).toBe(45_000);
  });

  it('spreads endpoints failing together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(5, backoff)));
    expect(delays.size).toBeGreaterThan(10);
  });
});
