export interface UntilOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Named in the error when the condition is not met in time. */
  what?: string;
}

/**
 * Polls `condition` until it holds (a thrown error counts as "not yet"); the one waiting helper of the tests.
 * Fails after `timeoutMs`, naming what it waited for.
 */
export async function until(condition: () => boolean | Promise<boolean>, options: UntilOptions = {}): Promise<void> {
  const { timeoutMs = 10_000, intervalMs = 20, what = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await condition()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
