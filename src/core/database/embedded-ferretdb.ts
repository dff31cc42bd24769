import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface EmbeddedFerretDbOptions {
  binary: string;
  dataDir: string;
  port: number;
  startTimeoutMs?: number;
}

/**
 * A local FerretDB (SQLite backend) for development and tests, used only when no MONGODB_URI is given.
 * It listens on loopback only and is stopped with the process that started it.
 */
export class EmbeddedFerretDb {
  private exited = false;
  private disposableDir?: string;

  private constructor(
    private readonly child: ChildProcess,
    readonly uri: string,
  ) {
    // A forced exit (shutdown past its bound) must not leave the database running without its owner.
    const killOnExit = () => {
      if (!this.exited) child.kill('SIGKILL');
    };
    process.once('exit', killOnExit);
    child.once('exit', () => {
      this.exited = true;
      process.removeListener('exit', killOnExit);
    });
  }

  static async start(options: EmbeddedFerretDbOptions): Promise<EmbeddedFerretDb> {
    const binary = resolve(options.binary);
    if (!existsSync(binary)) {
      throw new Error(`FerretDB binary not found at ${binary}: run scripts/toolchain.sh or set MONGODB_URI`);
    }
    const dataDir = resolve(options.dataDir);
    mkdirSync(dataDir, { recursive: true });
    if (await isPortOpen(options.port)) {
      throw new Error(`port ${options.port} is already in use: set EMBEDDED_DB_PORT or MONGODB_URI`);
    }
    const child = spawn(
      binary,
      [
        '--handler=sqlite',
        `--sqlite-url=file:${dataDir}/`,
        `--listen-addr=127.0.0.1:${options.port}`,
        `--state-dir=${dataDir}`,
        '--telemetry=disable',
        '--debug-addr=-',
        '--log-level=warn',
        '--log-format=json',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const stderr: string[] = [];
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr.push(chunk.toString());
      if (stderr.length > 50) stderr.shift();
    });
    const server = new EmbeddedFerretDb(child, `mongodb://127.0.0.1:${options.port}/`);
    const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
    while (!(await isPortOpen(options.port))) {
      if (server.exited || Date.now() > deadline) {
        await server.stop();
        throw new Error(`FerretDB did not start on port ${options.port}: ${stderr.join('').slice(-2000)}`);
      }
      await sleep(50);
    }
    return server;
  }

  /** A throwaway server for tests and benchmarks: a free loopback port, a fresh directory removed on stop. */
  static async startDisposable(binary: string): Promise<EmbeddedFerretDb> {
    const dataDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'vv-ferretdb-'));
    const server = await EmbeddedFerretDb.start({ binary, dataDir, port: await freeLoopbackPort() });
    server.disposableDir = dataDir;
    return server;
  }

  /** Ends the server at once, as a crash or an OOM kill would (tests of outages). */
  async kill(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((done) => this.child.once('exit', () => done()));
    this.child.kill('SIGKILL');
    await exited;
  }

  async stop(timeoutMs = 5_000): Promise<void> {
    if (!this.exited) {
      const exited = new Promise<void>((done) => this.child.once('exit', () => done()));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    }
    if (this.disposableDir) rmSync(this.disposableDir, { recursive: true, force: true });
  }
}

function isPortOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}
