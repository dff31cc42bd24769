import { Types } from 'mongoose';
import { UnattributedInsertError, type InsertOutcome } from '../conversations/messages.repository';
import { TenancyException } from '../tenancy/tenancy.exception';
import type { DurableMessage, IngestOutcome, PendingMessage } from './inbound-item';
import { InboundWriter, type InboundWriterSink } from './inbound-writer';
import { until } from '../../test/support/until';

interface Harness {
  writer: InboundWriter;
  inserts: string[][];
  durable: DurableMessage[];
  deadLetters: string[];
  add(id: string): Promise<IngestOutcome>;
}

/** `script` answers each insert call in turn: outcomes per message, or an error for the whole command. */
function harness(
  script: Array<(batch: PendingMessage[]) => InsertOutcome[] | Error | Promise<InsertOutcome[]>>,
  halt = new AbortController(),
  now?: () => number,
): Harness {
  const inserts: string[][] = [];
  const durable: DurableMessage[] = [];
  const deadLetters: string[] = [];
  const sink: InboundWriterSink = {
    insert: async (batch) => {
      inserts.push(batch.map((m) => m.message.providerMessageId));
      const answer = await (script.shift() ?? ((b) => b.map(() => 'inserted' as const)))(batch);
      if (answer instanceof Error) throw answer;
      return answer;
    },
    deadLetter: async (message) => void deadLetters.push(message.message.providerMessageId),
    durable: (messages) => void durable.push(...messages),
    released: () => undefined,
    outcome: () => undefined,
  };
  const writer = new InboundWriter(sink, { maxBatch: 3, retryInitialDelayMs: 1, retryMaxDelayMs: 2, halt: halt.signal, now });
  const add = (id: string) =>
    new Promise<IngestOutcome>((settle, fail) =>
      writer.add({ id: new Types.ObjectId(), session: 's', message: { providerMessageId: id, from: '+1', to: '+2', timestamp: new Date() }, settle, fail }),
    );
  return { writer, inserts, durable, deadLetters, add };
}

describe('InboundWriter', () => {
  it('writes what arrives in one turn of the event loop as one batch (up to its size), never waiting on a timer', async () => {
    const h = harness([]);
    const outcomes = await Promise.all(['a', 'b', 'c', 'd', 'e'].map(h.add));
    expect(h.inserts).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
    expect(outcomes.every((o) => o.result === 'stored')).toBe(true);
    expect(h.durable.map((m) => m.message.providerMessageId)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('writes what arrives while an insert runs as the next batch', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const h = harness([async (batch) => (await released, batch.map(() => 'inserted' as const))]);
    const first = h.add('a');
    await until(() => h.inserts.length === 1);
    const later = ['b', 'c'].map(h.add);
    release();
    await Promise.all([first, ...later]);
    expect(h.inserts).toEqual([['a'], ['b', 'c']]);
  });

  it('retries transient failures until the insert succeeds, and derives duplicates when an attempt may have stored them', async () => {
    const h = harness([() => TenancyException.unavailable('x', 1), (batch) => batch.map(() => 'duplicate' as const)]);
    expect(await h.add('a')).toEqual({ result: 'duplicate' });
    expect(h.inserts).toEqual([['a'], ['a']]);
    expect(h.durable.map((m) => m.message.providerMessageId)).toEqual(['a']);
  });

  it('does not derive a duplicate when the only failure was our own gate (nothing was sent)', async () => {
    const h = harness([() => TenancyException.busy('x', 1), (batch) => batch.map(() => 'duplicate' as const)]);
    expect(await h.add('a')).toEqual({ result: 'duplicate' });
    expect(h.durable).toEqual([]);
  });

  it('dead-letters a message the server refuses by itself, and isolates a refused command message by message', async () => {
    const poison = new Error('document is invalid');
    const h = harness([
      () => poison,
      (batch) => batch.map((_, index) => (index === 0 ? Object.assign(new Error('too large'), { code: 10334 }) : ('inserted' as const))),
    ]);
    void h.add('first');
    await h.writer.idle();
    const outcomes = await Promise.all([h.add('a'), h.add('b'), h.add('c')]);
    expect(outcomes[0]).toEqual({ result: 'rejected', reason: 'too large' });
    expect(outcomes.slice(1)).toEqual([{ result: 'stored' }, { result: 'stored' }]);
    expect(h.deadLetters).toEqual(['first', 'a']);
  });

  it('writes again a message refused alone for a reason that may pass (e.g. a server shutting down)', async () => {
    const h = harness([() => [Object.assign(new Error('interrupted at shutdown'), { code: 11600 })], (batch) => batch.map(() => 'inserted' as const)]);
    expect(await h.add('a')).toEqual({ result: 'stored' });
    expect(h.inserts).toEqual([['a'], ['a']]);
    expect(h.deadLetters).toEqual([]);
  });

  it('treats an insert that cannot say which documents it stored as unknown, and derives what then reads as duplicate', async () => {
    const h = harness([() => new UnattributedInsertError(2, 1), (batch) => batch.map(() => 'duplicate' as const)]);
    expect(await h.add('a')).toEqual({ result: 'duplicate' });
    expect(h.durable.map((m) => m.message.providerMessageId)).toEqual(['a']);
  });

  it('fails what is not durable once halted, without starting another attempt', async () => {
    const halt = new AbortController();
    const h = harness(
      Array.from({ length: 1_000 }, () => () => TenancyException.unavailable('x', 1)),
      halt,
    );
    const pending = h.add('a');
    await new Promise((resolve) => setImmediate(resolve));
    halt.abort();
    await expect(pending).rejects.toThrow('halted');
    const attempts = h.inserts.length;
    await h.writer.idle();
    expect(h.inserts).toHaveLength(attempts);
  });

  it('reports how long the batch being written has been trying to become durable, and nothing once it is', async () => {
    let clock = 1_000;
    let answer!: (outcomes: InsertOutcome[]) => void;
    const h = harness([() => new Promise<InsertOutcome[]>((resolve) => (answer = resolve))], undefined, () => clock);
    expect(h.writer.writeAgeMs).toBe(0);
    const stored = h.add('a');
    await until(() => h.inserts.length === 1, { what: 'the insert under way' });
    clock += 30_000;
    expect(h.writer.writeAgeMs).toBe(30_000);
    answer(['inserted']);
    expect(await stored).toEqual({ result: 'stored' });
    await h.writer.idle();
    expect(h.writer.writeAgeMs).toBe(0);
  });
});
