import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { until } from './until';

/** Compiles the service into a fresh folder inside the repository (so it resolves node_modules); remove it with `rmSync`. */
export async function buildService(): Promise<{ entry: string; dir: string }> {
  mkdirSync('dist-test', { recursive: true });
  const dir = mkdtempSync(join('dist-test', 'service-'));
  await promisify(execFile)(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', dir, '--tsBuildInfoFile', join(dir, 'build-info')]);
  return { entry: join(dir, 'src/main.js'), dir };
}

export function removeBuild(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** The built service as its own process, so a test can kill it like a crashed or redeployed instance. */
export class ServiceProcess {
  private child?: ChildProcess;

  constructor(
    private readonly entry: string,
    private readonly env: NodeJS.ProcessEnv,
    readonly url: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process; `env` adds to (or overrides) the environment for this start only. */
  async start(env: NodeJS.ProcessEnv = {}): Promise<void> {
    this.child = spawn(process.execPath, [this.entry], { env: { ...this.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
    await until(async () => (await request(this.url).get('/health/ready')).status === 200, { timeoutMs: 60_000, what: 'service ready' });
  }

  kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }
}
