export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
}

/**
 * Delay before reconnect attempt `attempt` (1-based): exponential from `baseMs`, capped at `maxMs`,
 * with "equal jitter" (half fixed, half random) so sessions dropped together do not return together.
 * Null once the attempt budget is spent.
 */
export function reconnectDelayMs(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number | null {
  if (attempt > policy.maxAttempts) return null;
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
