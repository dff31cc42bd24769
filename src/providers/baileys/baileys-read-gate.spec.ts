import { setImmediate as nextTurn } from 'node:timers/promises';
import { ReadGate, type Pausable } from './baileys-read-gate';

function fakeSocket() {
  const calls: string[] = [];
  const socket: Pausable = { pause: () => void calls.push('pause'), resume: () => void calls.push('resume') };
  return { socket, calls };
}

describe('baileys read gate', () => {
  it('never pauses while ingest takes messages at once', async () => {
    const { socket, calls } = fakeSocket();
    const gate = new ReadGate(() => socket);
    for (let i = 0; i < 3; i++) gate.hold(Promise.all([Promise.resolve(), Promise.resolve()]));
    await nextTurn();
    await nextTurn();
    expect(calls).toEqual([]);
    expect(gate.isPaused).toBe(false);
  });

  it('pauses while any batch is pending and resumes once all are taken', async () => {
    const { socket, calls } = fakeSocket();
    const gate = new ReadGate(() => socket);
    const first = Promise.withResolvers<void>();
    const second = Promise.withResolvers<void>();
    gate.hold(first.promise);
    gate.hold(second.promise);
    await nextTurn();
    expect(calls).toEqual(['pause']);
    first.resolve();
    await nextTurn();
    expect(gate.isPaused).toBe(true);
    second.resolve();
    await nextTurn();
    expect(calls).toEqual(['pause', 'resume']);
    expect(gate.isPaused).toBe(false);
  });

  it('treats a rejected hand-over as settled', async () => {
    const { socket, calls } = fakeSocket();
    const gate = new ReadGate(() => socket);
    const taken = Promise.withResolvers<void>();
    gate.hold(taken.promise);
    await nextTurn();
    taken.reject(new Error('listener broke the port'));
    await nextTurn();
    expect(calls).toEqual(['pause', 'resume']);
  });

  it('does nothing without a socket, and resumes on close', async () => {
    const none = new ReadGate(() => undefined);
    none.hold(new Promise(() => undefined));
    await nextTurn();
    expect(none.isPaused).toBe(false);

    const { socket, calls } = fakeSocket();
    const gate = new ReadGate(() => socket);
    gate.hold(new Promise(() => undefined));
    await nextTurn();
    gate.close();
    gate.hold(new Promise(() => undefined));
    await nextTurn();
    expect(calls).toEqual(['pause', 'resume']);
  });
});
