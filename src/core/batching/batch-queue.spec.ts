import { BatchQueue, type BatchWriter, type Outcome } from './batch-queue';

/** Lets every already-queued promise continuation run. */
async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

const okAll = (items: string[]): Outcome<string>[] => items.map((item) => ({ ok: true, value: item.toUpperCase() }));

describe('BatchQueue', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  describe('flushing', () => {
    beforeEach(() => {
      jest.useFakeTimers();
    });

    it('writes a batch as soon as maxBatchSize items wait, without waiting for maxWaitMs', async () => {
      const batches: string[][] = [];
      const queue = new BatchQueue<string, string>({ maxBatchSize: 3, maxWaitMs: 10_000, maxPending: 100 }, async (items) => {
        batches.push(items);
        return okAll(items);
      });

      const first = [queue.add('a'), queue.add('b')];
      await flushMicrotasks();
      expect(batches).toEqual([]);
      expect(queue.pending).toBe(2);

      const third = queue.add('c');
      await flushMicrotasks();
      expect(batches).toEqual([['a', 'b', 'c']]);
      await expect(Promise.all([...first, third])).resolves.toEqual(['A', 'B', 'C']);
      expect(queue.pending).toBe(0);
    });

    it('writes fewer than maxBatchSize items once the oldest has waited maxWaitMs', async () => {
      const batches: string[][] = [];
      const queue = new BatchQueue<string, string>({ maxBatchSize: 10, maxWaitMs: 100, maxPending: 100 }, async (items) => {
        batches.push(items);
        return okAll(items);
      });

      const a = queue.add('a');
      await jest.advanceTimersByTimeAsync(60);
      const b = queue.add('b');
      await jest.advanceTimersByTimeAsync(39);
      expect(batches).toEqual([]);

      // The age that counts is the oldest item's: 'a' reaches 100 ms here although 'b' is only 40 ms old.
      await jest.advanceTimersByTimeAsync(1);
      expect(batches).toEqual([['a', 'b']]);
      await expect(Promise.all([a, b])).resolves.toEqual(['A', 'B']);
    });

    it('starts a fresh age window for items that arrive after a batch was written', async () => {
      const batches: string[][] = [];
      const queue = new BatchQueue<string, string>({ maxBatchSize: 10, maxWaitMs: 50, maxPending: 100 }, async (items) => {
        batches.push(items);
        return okAll(items);
      });

      void queue.add('a');
      await jest.advanceTimersByTimeAsync(50);
      expect(batches).toEqual([['a']]);

      void queue.add('b');
      await jest.advanceTimersByTimeAsync(49);
      expect(batches).toEqual([['a']]);
      await jest.advanceTimersByTimeAsync(1);
      expect(batches).toEqual([['a'], ['b']]);
    });
  });

  it('never runs two writes at once and writes every item exactly once, in order', async () => {
    let running = 0;
    let peakRunning = 0;
    const written: number[] = [];
    const queue = new BatchQueue<number, number>({ maxBatchSize: 4, maxWaitMs: 1, maxPending: 1_000 }, async (items) => {
      running++;
      peakRunning = Math.max(peakRunning, running);
      await new Promise((resume) => setTimeout(resume, 1));
      written.push(...items);
      running--;
      return items.map((item) => ({ ok: true, value: item * 10 }));
    });

    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => queue.add(i)));

    expect(peakRunning).toBe(1);
    expect(written).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(results).toEqual(Array.from({ length: 40 }, (_, i) => i * 10));
  });

  describe('outcomes', () => {
    it("settles each caller with its own item's outcome", async () => {
      const bError = new Error('b is a duplicate');
      const queue = new BatchQueue<string, string>({ maxBatchSize: 3, maxWaitMs: 10_000, maxPending: 100 }, async () => [
        { ok: true, value: 'created' },
        { ok: false, error: bError },
        { ok: true, value: 'updated' },
      ]);

      const [a, b, c] = await Promise.allSettled([queue.add('a'), queue.add('b'), queue.add('c')]);

      expect(a).toEqual({ status: 'fulfilled', value: 'created' });
      expect(b).toEqual({ status: 'rejected', reason: bError });
      expect((b as PromiseRejectedResult).reason).toBe(bError);
      expect(c).toEqual({ status: 'fulfilled', value: 'updated' });
    });

    it('rejects only the callers of the batch whose writer threw', async () => {
      const failure = new Error('bulkWrite failed');
      const queue = new BatchQueue<string, string>({ maxBatchSize: 2, maxWaitMs: 10_000, maxPending: 100 }, async (items) => {
        if (items.includes('c')) throw failure;
        return okAll(items);
      });

      const settled = await Promise.allSettled(['a', 'b', 'c', 'd', 'e', 'f'].map((item) => queue.add(item)));

      expect(settled[0]).toEqual({ status: 'fulfilled', value: 'A' });
      expect(settled[1]).toEqual({ status: 'fulfilled', value: 'B' });
      expect((settled[2] as PromiseRejectedResult).reason).toBe(failure);
      expect((settled[3] as PromiseRejectedResult).reason).toBe(failure);
      expect(settled[4]).toEqual({ status: 'fulfilled', value: 'E' });
      expect(settled[5]).toEqual({ status: 'fulfilled', value: 'F' });
    });

    it('keeps working after a writer throws synchronously', async () => {
      let calls = 0;
      const writer: BatchWriter<string, string> = (items) => {
        calls++;
        if (calls === 1) throw new Error('sync boom');
        return Promise.resolve(okAll(items));
      };
      const queue = new BatchQueue<string, string>({ maxBatchSize: 1, maxWaitMs: 10_000, maxPending: 100 }, writer);

      await expect(queue.add('a')).rejects.toThrow('sync boom');
      await expect(queue.add('b')).resolves.toBe('B');
    });

    it('rejects a caller whose item got no outcome from the writer', async () => {
      const queue = new BatchQueue<string, string>({ maxBatchSize: 2, maxWaitMs: 10_000, maxPending: 100 }, async () => [{ ok: true, value: 'only one' }]);

      const [a, b] = await Promise.allSettled([queue.add('a'), queue.add('b')]);

      expect(a).toEqual({ status: 'fulfilled', value: 'only one' });
      expect(b.status).toBe('rejected');
      expect((b as PromiseRejectedResult).reason).toBeInstanceOf(Error);
      expect((b as PromiseRejectedResult).reason.message).toMatch(/no outcome/);
    });
  });

  describe('backpressure', () => {
    it('holds the (maxPending+1)th add until a batch is taken from the buffer', async () => {
      const writes: Array<{ items: string[]; done: PromiseWithResolvers<Outcome<string>[]> }> = [];
      const queue = new BatchQueue<string, string>({ maxBatchSize: 2, maxWaitMs: 10_000, maxPending: 3 }, (items) => {
        const done = Promise.withResolvers<Outcome<string>[]>();
        writes.push({ items, done });
        return done.promise;
      });

      // a, b fill a batch whose write stays in flight, so nothing more can be taken.
      const results: Array<Promise<string>> = [queue.add('a'), queue.add('b')];
      await flushMicrotasks();
      expect(writes.map((w) => w.items)).toEqual([['a', 'b']]);
      expect(queue.pending).toBe(0);

      results.push(queue.add('c'), queue.add('d'), queue.add('e'));
      await flushMicrotasks();
      expect(queue.pending).toBe(3);

      // The buffer is at maxPending: f must wait outside the buffer.
      results.push(queue.add('f'));
      await flushMicrotasks();
      expect(queue.pending).toBe(3);

      // Finishing the first write lets the next batch (c, d) be taken, which makes room for f.
      writes[0].done.resolve(okAll(writes[0].items));
      await flushMicrotasks();
      expect(writes.map((w) => w.items)).toEqual([
        ['a', 'b'],
        ['c', 'd'],
      ]);
      expect(queue.pending).toBe(2); // e and f

      writes[1].done.resolve(okAll(writes[1].items));
      await flushMicrotasks();
      expect(writes.map((w) => w.items)).toEqual([
        ['a', 'b'],
        ['c', 'd'],
        ['e', 'f'],
      ]);
      writes[2].done.resolve(okAll(writes[2].items));

      await expect(Promise.all(results)).resolves.toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
      expect(queue.pending).toBe(0);
    });

    it('never lets the buffer exceed maxPending nor a batch exceed maxBatchSize under a burst', async () => {
      const maxPending = 5;
      const maxBatchSize = 3;
      let peakPending = 0;
      const batchSizes: number[] = [];
      const queue: BatchQueue<number, number> = new BatchQueue<number, number>({ maxBatchSize, maxWaitMs: 1, maxPending }, async (items) => {
        batchSizes.push(items.length);
        peakPending = Math.max(peakPending, queue.pending);
        await new Promise((resume) => setImmediate(resume));
        peakPending = Math.max(peakPending, queue.pending);
        return items.map((item) => ({ ok: true, value: item }));
      });

      const adds: Array<Promise<number>> = [];
      for (let i = 0; i < 60; i++) {
        adds.push(queue.add(i));
        peakPending = Math.max(peakPending, queue.pending);
      }
      const results = await Promise.all(adds);

      expect(results).toHaveLength(60);
      expect(new Set(results).size).toBe(60);
      expect(peakPending).toBe(maxPending);
      expect(Math.max(...batchSizes)).toBeLessThanOrEqual(maxBatchSize);
      expect(batchSizes.reduce((sum, size) => sum + size, 0)).toBe(60);
    });
  });

  describe('drain', () => {
    it('writes everything pending right away, without waiting for maxWaitMs', async () => {
      jest.useFakeTimers();
      const batches: string[][] = [];
      const queue = new BatchQueue<string, string>({ maxBatchSize: 10, maxWaitMs: 60_000, maxPending: 100 }, async (items) => {
        batches.push(items);
        return okAll(items);
      });

      const results = [queue.add('a'), queue.add('b')];
      await queue.drain();

      expect(batches).toEqual([['a', 'b']]);
      expect(queue.pending).toBe(0);
      await expect(Promise.all(results)).resolves.toEqual(['A', 'B']);
      expect(jest.getTimerCount()).toBe(0);
    });

    it('also writes items added while draining before it resolves', async () => {
      const batches: string[][] = [];
      const lateAdds: Array<Promise<string>> = [];
      let draining = false;
      const queue: BatchQueue<string, string> = new BatchQueue<string, string>({ maxBatchSize: 2, maxWaitMs: 60_000, maxPending: 100 }, async (items) => {
        batches.push(items);
        await new Promise((resume) => setImmediate(resume));
        // Once drain() has started, the first write enqueues more work before it completes.
        if (draining && lateAdds.length === 0) lateAdds.push(queue.add('late-1'), queue.add('late-2'));
        return okAll(items);
      });

      const early = [queue.add('a'), queue.add('b'), queue.add('c')];
      draining = true;
      await queue.drain();
      expect(lateAdds).toHaveLength(2);

      // The last batch holds a single young item: only drain's forcing gets it written.
      expect(batches).toEqual([['a', 'b'], ['c', 'late-1'], ['late-2']]);
      expect(queue.pending).toBe(0);
      await expect(Promise.all([...early, ...lateAdds])).resolves.toEqual(['A', 'B', 'C', 'LATE-1', 'LATE-2']);
    }, 1_000);

    it('waits for a write already in flight', async () => {
      const write = Promise.withResolvers<Outcome<string>[]>();
      const queue = new BatchQueue<string, string>({ maxBatchSize: 1, maxWaitMs: 60_000, maxPending: 100 }, () => write.promise);

      const a = queue.add('a');
      let drained = false;
      const draining = queue.drain().then(() => (drained = true));
      await flushMicrotasks();
      expect(drained).toBe(false);

      write.resolve([{ ok: true, value: 'A' }]);
      await draining;
      expect(drained).toBe(true);
      await expect(a).resolves.toBe('A');
    });

    it('resolves at once when nothing is pending', async () => {
      const writer = jest.fn<ReturnType<BatchWriter<string, string>>, Parameters<BatchWriter<string, string>>>();
      const queue = new BatchQueue<string, string>({ maxBatchSize: 2, maxWaitMs: 10, maxPending: 10 }, writer);
      await queue.drain();
      expect(writer).not.toHaveBeenCalled();
    });
  });
});
