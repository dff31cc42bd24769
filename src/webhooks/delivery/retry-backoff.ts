export interface RetryBackoff {
  baseMs: number;
  maxMs: number;
}

/**
 * The wait before try `failures + 1` after `failures` failed ones: exponential from the base, capped, with
 * "equal jitter" (half fixed, half random), so endpoints recovering together are not hit in step and no
 * wait collapses to zero.
 */
export function retryDelayMs(failures: number, { baseMs, maxMs }: RetryBackoff, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 40);
  const ceiling = Math.min(maxMs, baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
