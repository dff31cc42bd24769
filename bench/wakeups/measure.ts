import { fork, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** On-CPU time of every thread of this process, from the scheduler (`/proc/self/task/*\/schedstat`), in µs. */
export function threadsRuntimeMicros(): number {
  let nanos = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      nanos += Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // A thread that ended meanwhile.
    }
  }
  return nanos / 1000;
}

export interface PerEvent {
  /** CPU (user + system, getrusage) per event, µs. */
  cpuMicros: number;
  /** On-CPU time per event as the scheduler counts it, µs. */
  runtimeMicros: number;
}

/** Runs `event` `count` times, pausing `gapMs` before each (0: back to back), and charges this process's CPU to each. */
export async function perEvent(count: number, gapMs: number, event: () => Promise<void>): Promise<PerEvent> {
  const [usage, runtime] = [process.cpuUsage(), threadsRuntimeMicros()];
  for (let i = 0; i < count; i++) {
    if (gapMs > 0) await sleep(gapMs);
    await event();
  }
  const used = process.cpuUsage(usage);
  return { cpuMicros: round((used.user + used.system) / count), runtimeMicros: round((threadsRuntimeMicros() - runtime) / count) };
}

const round = (value: number) => Math.round(value * 10) / 10;

const PAGE_BYTES = 4096;

/** Reads `reads` random 4 KiB pages of a `megabytes` buffer per call: the same work whether the process slept or not. */
export function pageReader(megabytes: number, reads: number): () => Promise<void> {
  const values = new Float64Array((megabytes * 1024 * 1024) / 8).fill(1);
  const perPage = PAGE_BYTES / 8;
  const pages = values.length / perPage;
  let sum = 0;
  return () => {
    for (let i = 0; i < reads; i++) sum += values[Math.floor(Math.random() * pages) * perPage];
    return sum > 0 ? Promise.resolve() : Promise.reject(new Error('unreachable'));
  };
}

/** An echo server in another process on loopback, and a round trip of `bytes` to it. */
export class EchoPeer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly socket: Socket,
    private readonly payload: Buffer,
  ) {}

  static async start(script: string, bytes: number): Promise<EchoPeer> {
    const child = fork(script, ['--echo-server']);
    const port = await new Promise<number>((resolve) => child.once('message', (message) => resolve(Number(message))));
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    await new Promise((resolve) => socket.once('connect', resolve));
    return new EchoPeer(child, socket, Buffer.alloc(bytes, 1));
  }

  roundTrip(): Promise<void> {
    return new Promise((resolve) => {
      let received = 0;
      const onData = (chunk: Buffer) => {
        received += chunk.length;
        if (received < this.payload.length) return;
        this.socket.off('data', onData);
        resolve();
      };
      this.socket.on('data', onData);
      this.socket.write(this.payload);
    });
  }

  stop(): void {
    this.socket.destroy();
    this.child.kill();
  }
}

/** The other side of `EchoPeer`: answers every byte it gets. */
export function serveEcho(): void {
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => socket.write(chunk));
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send!(typeof address === 'object' && address ? address.port : 0);
  });
}
