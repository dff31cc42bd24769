import { connect, type Socket } from 'node:net';

export interface LoadFigures {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Answers other than 2xx, by status (e.g. 503 when a company's operation cap keeps a listing waiting too long). */
  errors: number;
  errorsByStatus: Record<string, number>;
}

export interface LoadOptions {
  port: number;
  path: string;
  headers?: Record<string, string>;
  connections: number;
  warmupSeconds: number;
  seconds: number;
  /** Called as the measured window opens and closes (e.g. to read the server's CPU). */
  onWindow?: (edge: 'start' | 'end') => void;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * A closed-loop load generator on raw keep-alive sockets (what autocannon does, in little): each of `connections`
 * sockets sends one GET, reads the answer (Content-Length framed) and sends the next. No node:http client, so the
 * generator spends little CPU per request and measures the server, not itself. Requests answered during the
 * warm-up are not counted; latency runs from writing a request to reading the last byte of its answer.
 */
export async function runLoad(options: LoadOptions): Promise<LoadFigures> {
  const headers = Object.entries({ host: '127.0.0.1', connection: 'keep-alive', ...options.headers }).map(([name, value]) => `${name}: ${value}\r\n`);
  const request = Buffer.from(`GET ${options.path} HTTP/1.1\r\n${headers.join('')}\r\n`);
  const latencies: number[] = [];
  let errors = 0;
  const errorsByStatus: Record<string, number> = {};
  let measuring = false;
  let stopped = false;
  const sockets = await Promise.all(Array.from({ length: options.connections }, () => open(options.port)));
  const loops = sockets.map((socket) => loop(socket));
  await sleep(options.warmupSeconds * 1000);
  measuring = true;
  options.onWindow?.('start');
  const started = process.hrtime.bigint();
  await sleep(options.seconds * 1000);
  measuring = false;
  const elapsedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  options.onWindow?.('end');
  stopped = true;
  await Promise.all(loops);
  sockets.forEach((socket) => socket.destroy());
  latencies.sort((a, b) => a - b);
  const at = (p: number) => round(latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] ?? 0);
  return {
    requests: latencies.length,
    requestsPerSecond: Math.round(latencies.length / elapsedSeconds),
    p50Ms: at(50),
    p99Ms: at(99),
    maxMs: round(latencies.at(-1) ?? 0),
    errors,
    errorsByStatus,
  };

  async function loop(socket: Socket): Promise<void> {
    const reader = new AnswerReader(socket);
    while (!stopped) {
      const sent = process.hrtime.bigint();
      socket.write(request);
      const status = await reader.next();
      if (measuring) {
        latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
        if (status < 200 || status >= 300) {
          errors++;
          errorsByStatus[status] = (errorsByStatus[status] ?? 0) + 1;
        }
      }
    }
  }
}

/** Reads HTTP/1.1 answers framed by Content-Length, one at a time. */
class AnswerReader {
  private buffered: Buffer = Buffer.alloc(0);
  private waiting?: () => void;

  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      this.waiting?.();
    });
    socket.on('close', () => this.waiting?.());
  }

  async next(): Promise<number> {
    for (;;) {
      const end = this.buffered.indexOf(HEADER_END);
      if (end >= 0) {
        const head = this.buffered.subarray(0, end).toString('latin1');
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        if (!length) throw new Error(`an answer without Content-Length: ${head.slice(0, 200)}`);
        const total = end + HEADER_END.length + Number(length[1]);
        if (this.buffered.length >= total) {
          this.buffered = this.buffered.subarray(total);
          return Number(head.slice(9, 12));
        }
      }
      if (this.socket.destroyed) throw new Error('the server closed a keep-alive connection');
      await new Promise<void>((resolve) => (this.waiting = resolve));
      this.waiting = undefined;
    }
  }
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.setNoDelay(true);
    socket.once('error', reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number) => Math.round(value * 100) / 100;
