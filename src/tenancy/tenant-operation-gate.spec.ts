import { GateRejectedError, TenantOperationGate } from './tenant-operation-gate';

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/**
 * Settles (never rejects) with the reason the promise rejected with; if it resolved instead, with a
 * marker object that fails any assertion about the error, so a bug cannot leave a rejection unhandled.
 */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    return { resolvedInsteadOfRejecting: await promise };
  } catch (error) {
    return error;
  }
}

describe('TenantOperationGate', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('never runs more than maxConcurrent operations and reports the cap as peakActive', async () => {
    const gate = new TenantOperationGate({ maxConcurrent: 4, queueSize: 100, waitTimeoutMs: 5_000 });
    let running = 0;
    let peak = 0;
    let completed = 0;

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        gate.run(async () => {
          running++;
          peak = Math.max(peak, running);
          expect(gate.stats().active).toBeLessThanOrEqual(4);
          await new Promise((resume) => setTimeout(resume, i % 3));
          running--;
          completed++;
          return i;
        }),
      ),
    );

    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(completed).toBe(50);
    expect(peak).toBe(4);
    expect(gate.stats()).toEqual({ active: 0, queued: 0, peakActive: 4, rejected: 0, limit: 4 });
  });

  it('reports active and queued operations while they wait', async () => {
    const gate = new TenantOperationGate({ maxConcurrent: 2, queueSize: 5, waitTimeoutMs: 5_000 });
    const release = Promise.withResolvers<void>();
    const runs = Array.from({ length: 5 }, () => gate.run(() => release.promise));
    await flushMicrotasks();

    expect(gate.stats()).toMatchObject({ active: 2, queued: 3, peakActive: 2, limit: 2 });

    release.resolve();
    await Promise.all(runs);
    expect(gate.stats()).toMatchObject({ active: 0, queued: 0, peakActive: 2 });
  });

  it("rejects callers beyond the queue with reason 'queue-full' immediately", async () => {
    const gate = new TenantOperationGate({ maxConcurrent: 1, queueSize: 2, waitTimeoutMs: 5_000 });
    const release = Promise.withResolvers<string>();
    const running = gate.run(() => release.promise);
    const queued = [gate.run(async () => 'q1'), gate.run(async () => 'q2')];
    const extraOperation = jest.fn(async () => 'never');

    const startedAt = Date.now();
    const error = await rejectionOf(gate.run(extraOperation));

    expect(Date.now() - startedAt).toBeLessThan(50);
    expect(error).toBeInstanceOf(GateRejectedError);
    expect((error as GateRejectedError).reason).toBe('queue-full');
    expect(extraOperation).not.toHaveBeenCalled();
    expect(gate.stats().rejected).toBe(1);

    // Those that were admitted still complete.
    release.resolve('first');
    await expect(running).resolves.toBe('first');
    await expect(Promise.all(queued)).resolves.toEqual(['q1', 'q2']);
    expect(gate.stats().rejected).toBe(1);
  });

  it("rejects a caller that waited longer than waitTimeoutMs with 'wait-timeout', without cutting off the running operation", async () => {
    jest.useFakeTimers();
    const gate = new TenantOperationGate({ maxConcurrent: 1, queueSize: 5, waitTimeoutMs: 30 });

    // Runs 80 ms: far longer than the wait timeout.
    const slow = gate.run(() => new Promise<string>((resolve) => setTimeout(() => resolve('slow done'), 80)));
    let slowSettled = false;
    void slow.then(
      () => (slowSettled = true),
      () => (slowSettled = true),
    );

    const waitingOperation = jest.fn(async () => 'should not run');
    const waiting = gate.run(waitingOperation);
    let waitingError: unknown;
    void waiting.catch((error) => (waitingError = error));

    await jest.advanceTimersByTimeAsync(29);
    expect(waitingError).toBeUndefined();

    await jest.advanceTimersByTimeAsync(1);
    expect(waitingError).toBeInstanceOf(GateRejectedError);
    expect((waitingError as GateRejectedError).reason).toBe('wait-timeout');
    expect(slowSettled).toBe(false);
    expect(gate.stats()).toMatchObject({ active: 1, rejected: 1 });

    await jest.advanceTimersByTimeAsync(50);
    await expect(slow).resolves.toBe('slow done');
    // The caller that gave up never has its operation started later.
    await flushMicrotasks();
    expect(waitingOperation).not.toHaveBeenCalled();
    expect(gate.stats()).toMatchObject({ active: 0, rejected: 1 });
  });

  it('does not apply the wait timeout to a queued operation once it has started', async () => {
    jest.useFakeTimers();
    const gate = new TenantOperationGate({ maxConcurrent: 1, queueSize: 5, waitTimeoutMs: 30 });

    const first = gate.run(() => new Promise<string>((resolve) => setTimeout(() => resolve('first'), 20)));
    // Waits 20 ms (< 30), then runs 50 ms: it is still running when its wait timer would have fired.
    const second = gate.run(() => new Promise<string>((resolve) => setTimeout(() => resolve('second'), 50)));
    let secondOutcome: unknown;
    void second.then(
      (value) => (secondOutcome = value),
      (error) => (secondOutcome = error),
    );

    await jest.advanceTimersByTimeAsync(20);
    await expect(first).resolves.toBe('first');
    expect(gate.stats().active).toBe(1);

    await jest.advanceTimersByTimeAsync(40); // t = 60 ms: past the 30 ms wait timeout, before it finishes
    expect(secondOutcome).toBeUndefined();

    await jest.advanceTimersByTimeAsync(10); // t = 70 ms
    await expect(second).resolves.toBe('second');
    expect(gate.stats().rejected).toBe(0);
  });

  it("propagates an operation's own error unchanged, whether it ran at once or after queueing", async () => {
    class DuplicateKeyError extends Error {
      readonly code = 11000;
    }
    const gate = new TenantOperationGate({ maxConcurrent: 1, queueSize: 5, waitTimeoutMs: 5_000 });
    const immediateError = new DuplicateKeyError('E11000 immediate');
    const queuedError = new DuplicateKeyError('E11000 queued');
    const release = Promise.withResolvers<void>();

    const immediate = gate.run(async () => {
      await release.promise;
      throw immediateError;
    });
    const queued = gate.run(async () => {
      throw queuedError;
    });
    release.resolve();

    await expect(rejectionOf(immediate)).resolves.toBe(immediateError);
    await expect(rejectionOf(queued)).resolves.toBe(queuedError);
    expect(gate.stats().rejected).toBe(0);
    expect(gate.stats().active).toBe(0);
  });

  it('propagates a synchronous throw from an operation and keeps the slot usable', async () => {
    const gate = new TenantOperationGate({ maxConcurrent: 1, queueSize: 0, waitTimeoutMs: 5_000 });
    const boom = new Error('sync boom');
    await expect(
      gate.run(() => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    await expect(gate.run(async () => 'after')).resolves.toBe('after');
  });

  it('counts every rejection, of either kind', async () => {
    jest.useFakeTimers();
    const gate = new TenantOperationGate({ maxConcurrent: 1, queueSize: 1, waitTimeoutMs: 10 });
    let finish: () => void = () => undefined;
    const running = gate.run(() => new Promise<void>((resolve) => (finish = resolve)));

    const timedOut = gate.run(async () => undefined);
    const timedOutError = rejectionOf(timedOut);
    const full1 = rejectionOf(gate.run(async () => undefined));
    const full2 = rejectionOf(gate.run(async () => undefined));

    expect(((await full1) as GateRejectedError).reason).toBe('queue-full');
    expect(((await full2) as GateRejectedError).reason).toBe('queue-full');
    expect(gate.stats().rejected).toBe(2);

    await jest.advanceTimersByTimeAsync(10);
    expect(((await timedOutError) as GateRejectedError).reason).toBe('wait-timeout');
    expect(gate.stats().rejected).toBe(3);

    finish();
    await running;
    expect(gate.stats().rejected).toBe(3);
  });
});

describe('TenantOperationGate queue accounting after wait timeouts', () => {
  it('frees the queue slot of a caller that gave up, so the next caller may wait', async () => {
    const gate = new TenantOperationGate({ maxConcurrent: 1, queueSize: 1, waitTimeoutMs: 10 });
    let release!: () => void;
    const running = gate.run(() => new Promise<void>((done) => (release = done)));
    await expect(gate.run(async () => 'late')).rejects.toMatchObject({ reason: 'wait-timeout' });
    expect(gate.stats().queued).toBe(0);
    const next = gate.run(async () => 'served');
    expect(gate.stats().queued).toBe(1);
    release();
    await running;
    await expect(next).resolves.toBe('served');
    expect(gate.stats()).toMatchObject({ active: 0, queued: 0, rejected: 1 });
  });
});
