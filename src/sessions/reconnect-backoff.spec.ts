import { reconnectDelayMs } from './reconnect-backoff';

describe('reconnectDelayMs', () => {
  const policy = { baseMs: 1_000, maxMs: 30_000, maxAttempts: 6 };

  it('doubles from the base, with half of each delay random', () => {
    expect([1, 2, 3, 4].map((attempt) => reconnectDelayMs(policy, attempt, () => 0))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((attempt) => reconnectDelayMs(policy, attempt, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it('never exceeds the cap', () => {
    expect(reconnectDelayMs(policy, 6, () => 1)).toBe(30_000);
    expect(reconnectDelayMs(policy, 6, () => 0)).toBe(15_000);
  });

  it('spreads sessions that dropped together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => reconnectDelayMs(policy, 3)));
    expect(delays.size).toBeGreaterThan(10);
  });

  it('gives up once the attempt budget is spent', () => {
    expect(reconnectDelayMs(policy, 7)).toBeNull();
  });
});

describe('reconnect timing on the clock', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('fires each attempt no earlier than its delay', () => {
    const fired: number[] = [];
    const started = Date.now();
    for (let attempt = 1; attempt <= 3; attempt++) {
      setTimeout(
        () => fired.push(Date.now() - started),
        reconnectDelayMs({ baseMs: 100, maxMs: 1_000, maxAttempts: 3 }, attempt, () => 1)!,
      );
    }
    jest.advanceTimersByTime(99);
    expect(fired).toEqual([]);
    jest.advanceTimersByTime(1_000);
    expect(fired).toEqual([100, 200, 400]);
  });
});
