import mongoose from 'mongoose';
import { DedicatedConnection, DedicatedConnectionBackoffError } from './dedicated-connection';
import { until } from '../../test/support/until';

/** Nothing listens on port 1, so every open attempt fails with a real driver error. */
const UNREACHABLE = 'mongodb://127.0.0.1:1/';
const SELECTION_TIMEOUT_MS = 200;
const options = { serverSelectionTimeoutMS: SELECTION_TIMEOUT_MS };

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

describe('DedicatedConnection', () => {
  let createConnection: jest.SpiedFunction<typeof mongoose.createConnection>;

  beforeEach(() => {
    // Observes (does not replace) the driver entry point, to count real open attempts.
    createConnection = jest.spyOn(mongoose, 'createConnection');
  });

  afterEach(() => {
    createConnection.mockRestore();
  });

  it('fails the first use with the driver error, then refuses at once during the backoff', async () => {
    const connection = new DedicatedConnection(UNREACHABLE, options);
    const operation = jest.fn(async () => 'never');

    const first = await rejectionOf(connection.use(operation));
    expect(first).toBeInstanceOf(Error);
    expect((first as Error).name).toBe('MongooseServerSelectionError');
    expect(first).not.toBeInstanceOf(DedicatedConnectionBackoffError);
    expect(createConnection).toHaveBeenCalledTimes(1);
    expect(connection.isOpen()).toBe(false);

    // First failure: a 1 s base backoff, jittered to 50..100 %.
    const remaining = connection.backoffRemainingMs();
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThanOrEqual(1_000);

    const startedAt = Date.now();
    const second = await rejectionOf(connection.use(operation));
    expect(Date.now() - startedAt).toBeLessThan(50);
    expect(second).toBeInstanceOf(DedicatedConnectionBackoffError);
    expect((second as DedicatedConnectionBackoffError).retryInMs).toBeGreaterThan(0);
    expect((second as DedicatedConnectionBackoffError).retryInMs).toBeLessThanOrEqual(1_000);
    expect(createConnection).toHaveBeenCalledTimes(1);
    expect(operation).not.toHaveBeenCalled();

    // The backoff is finite: once it has elapsed another attempt is allowed.
    expect(connection.backoffRemainingMs(Date.now() + 1_001)).toBe(0);
  });

  it('shares one open attempt among concurrent first calls', async () => {
    const connection = new DedicatedConnection(UNREACHABLE, options);
    const startedAt = Date.now();

    const errors = await Promise.all(Array.from({ length: 10 }, () => rejectionOf(connection.use(async () => 'never'))));
    const elapsed = Date.now() - startedAt;

    expect(createConnection).toHaveBeenCalledTimes(1);
    expect(new Set(errors).size).toBe(1);
    expect((errors[0] as Error).name).toBe('MongooseServerSelectionError');
    // About one server-selection timeout, far from ten of them in a row.
    expect(elapsed).toBeGreaterThanOrEqual(SELECTION_TIMEOUT_MS - 20);
    expect(elapsed).toBeLessThan(SELECTION_TIMEOUT_MS * 4);
  });

  it('tries to open again once the backoff has elapsed', async () => {
    // maxBackoffMs = 10 caps the backoff at 5..10 ms.
    const connection = new DedicatedConnection(UNREACHABLE, options, 10);

    await rejectionOf(connection.use(async () => undefined));
    expect(connection.backoffRemainingMs()).toBeLessThanOrEqual(10);
    await until(() => connection.backoffRemainingMs() === 0, { timeoutMs: 1_000, what: 'the backoff over' });

    const again = await rejectionOf(connection.use(async () => undefined));
    expect(again).not.toBeInstanceOf(DedicatedConnectionBackoffError);
    expect((again as Error).name).toBe('MongooseServerSelectionError');
    expect(createConnection).toHaveBeenCalledTimes(2);
  });

  it('reports a zero backoff before any attempt', () => {
    const connection = new DedicatedConnection(UNREACHABLE, options);
    expect(connection.backoffRemainingMs()).toBe(0);
    expect(connection.isOpen()).toBe(false);
  });

  describe('isIdleSince', () => {
    it('is idle since any cutoff after its last use, and not since one before it', () => {
      const before = Date.now();
      const connection = new DedicatedConnection(UNREACHABLE, options);
      const after = Date.now();

      expect(connection.isIdleSince(after + 1)).toBe(true);
      expect(connection.isIdleSince(before)).toBe(false);
    });

    it('is never idle while a use is in flight, and records the end of that use', async () => {
      const connection = new DedicatedConnection(UNREACHABLE, options);
      const farFuture = Date.now() + 60_000;

      const pending = rejectionOf(connection.use(async () => undefined));
      expect(connection.isIdleSince(farFuture)).toBe(false);

      await pending;
      const finishedAt = Date.now();
      expect(connection.isIdleSince(farFuture)).toBe(true);
      // The failed use still counts as activity at its end (≈200 ms after it started).
      expect(connection.isIdleSince(finishedAt - 100)).toBe(false);
      expect(connection.isIdleSince(finishedAt + 1)).toBe(true);
    });
  });

  it('peek neither opens a connection nor counts as use', async () => {
    const connection = new DedicatedConnection(UNREACHABLE, options);
    const created = Date.now();
    const operation = jest.fn(async () => 'read');
    await expect(connection.peek(operation)).resolves.toBeUndefined();
    expect(operation).not.toHaveBeenCalled();
    expect(createConnection).not.toHaveBeenCalled();
    expect(connection.isIdleSince(created + 1)).toBe(true);
  });

  it('close() without an open connection resolves', async () => {
    const connection = new DedicatedConnection(UNREACHABLE, options);
    await expect(connection.close()).resolves.toBeUndefined();
  });
});
