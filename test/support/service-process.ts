import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { until } from './until';

/** Compiles the service into `<dir>/dist` (inside the repository, so it resolves node_modules); returns `<dir>`. */
export async function buildService(prefix: string): Promise<string> {
  mkdirSync('dist-test', { recursive: true });
  const dir = mkdtempSync(join('dist-test', `${prefix}-`));
  const outDir = join(dir, 'dist');
  await promisify(execFile)(process.execPath, [
    'node_modules/typescript/bin/tsc',
    '-p',
    'tsconfig.build.json',
    '--outDir',
    outDir,
    '--tsBuildInfoFile',
    join(dir, 'build-info'),
  ]);
  return dir;
}

/** The entry point of a build made by `buildService`. */
export function serviceEntry(dir: string): string {
  return join(dir, 'dist/src/main.js');
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

/** The environment every whole-process test gives its service: test mode, its own databases, the simulator provider. */
export function processTestEnvironment(run: string, port: number, admin: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'test',
    PORT: String(port),
    LOG_LEVEL: 'error',
    ADMIN_API_KEY: admin,
    CONTROL_DB_NAME: `${run}_control`,
    TENANT_DB_PREFIX: `${run}_`,
    SESSIONS_PROVIDER_OVERRIDE: 'simulator',
    ...extra,
  };
}

export interface StartOptions {
  timeoutMs?: number;
  /** Added to (or overriding) the environment for this start only. */
  env?: NodeJS.ProcessEnv;
}

const RECENT_LINES = 200;

/** The built service as its own process, so it can be killed like a crashed instance or stopped like a deploy. */
export class ServiceProcess {
  private child?: ChildProcess;
  /** The last lines the process wrote to stdout (its JSON logs), for a failing test's message. */
  private readonly lines: string[] = [];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> = Promise.resolve({ code: null, signal: null });

  constructor(
    private readonly command: { file: string; args: string[]; cwd?: string },
    private readonly env: NodeJS.ProcessEnv,
    readonly url: string,
  ) {}

  /** The node process running a build made by `buildService`. */
  static node(dir: string, env: NodeJS.ProcessEnv, url: string): ServiceProcess {
    return new ServiceProcess({ file: process.execPath, args: [serviceEntry(dir)] }, env, url);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start({ timeoutMs = 60_000, env = {} }: StartOptions = {}): Promise<void> {
    const child = spawn(this.command.file, this.command.args, { cwd: this.command.cwd, env: { ...this.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    this.child = child;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      this.lines.push(line);
      if (this.lines.length > RECENT_LINES) this.lines.shift();
    });
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    await until(async () => (await request(this.url).get('/health/ready')).status === 200, { timeoutMs, intervalMs: 100, what: `${this.url} ready` });
  }

  get recentOutput(): string {
    return this.lines.join('\n');
  }

  /** Sends the signal; resolves with how the process ended. */
  async kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) this.child!.kill(signal);
    return this.exited;
  }
}
