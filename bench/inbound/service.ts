import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { environmentKeys } from '../../src/core/config/environment.schema';
import { LocalHttp } from './http';
import { childPids, isAlive, pidsWithArgument } from './proc';

export const ADMIN_KEY = 'bench-inbound-admin-key-0123456789abcdef';
/** Production serves /metrics on the HTTP port only with this bearer token. */
export const METRICS_TOKEN = 'bench-inbound-metrics-token-0123456789';
const READY_TIMEOUT_MS = 120_000;
const TERM_GRACE_MS = 20_000;
const live = new Set<BenchService>();

/** Variables we set for every run; anything else of the service's schema found in our environment is passed on and reported. */
const OWN = [
  'NODE_ENV',
  'PORT',
  'LOG_LEVEL',
  'ADMIN_API_KEY',
  'METRICS_TOKEN',
  'EMBEDDED_DB_DIR',
  'EMBEDDED_DB_PORT',
  'FERRETDB_BIN',
  'SESSIONS_PROVIDER_OVERRIDE',
  'MONGODB_MONITOR_COMMANDS',
  'RATE_LIMIT_PER_MINUTE',
  'SESSIONS_MAX_WHATSAPP_WEB',
];
const NOT_PASSED = ['MONGODB_URI', 'QUICKLEARNING_MONGODB_URI', 'TENANT_CLUSTER_URIS'];

/** The V8 flags Render starts the service with (render.yaml's start command), so benches run it the same way. */
export function productionNodeFlags(root: string): string[] {
  const start = /^\s*startCommand:\s*(.+)$/m.exec(readFileSync(resolve(root, 'render.yaml'), 'utf8'))?.[1] ?? '';
  return start.split(/\s+/).filter((word) => word.startsWith('--'));
}

/** Service settings an operator set in the environment (passed through to the service), for the report. */
export function inheritedSettings(): Record<string, string> {
  const keys = environmentKeys().filter((key) => !OWN.includes(key) && !NOT_PASSED.includes(key));
  return Object.fromEntries(keys.filter((key) => process.env[key]).map((key) => [key, process.env[key]!]));
}

/**
 * The built service (`dist-bench/src/main.js`) as a child process on its embedded default database: no
 * MONGODB_URI, so it starts its own FerretDB over `dataDir`. Loopback ports only.
 */
export class BenchService {
  readonly http: LocalHttp;
  private readonly output: string[] = [];
  private exit?: Promise<void>;
  ferretPid: number | null = null;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly dbPort: number,
    private readonly dataDir: string,
  ) {
    this.http = new LocalHttp(port, ADMIN_KEY);
    this.exit = new Promise((done) => child.once('exit', () => done()));
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 40) this.output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get dbUri(): string {
    return `mongodb://127.0.0.1:${this.dbPort}/`;
  }

  /**
   * `env` replaces our own settings (e.g. the HTTP bench turns command monitoring off); `cpus` pins the service (and
   * its FerretDB, which inherits the affinity) to those CPUs with taskset.
   */
  static async start(root: string, dataDir: string, sessions: number, options: { env?: Record<string, string>; cpus?: string } = {}): Promise<BenchService> {
    const [port, dbPort] = [await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of NOT_PASSED) delete env[name];
    Object.assign(env, {
      NODE_ENV: 'production',
      PORT: String(port),
      LOG_LEVEL: 'error',
      ADMIN_API_KEY: ADMIN_KEY,
      METRICS_TOKEN,
      EMBEDDED_DB_DIR: dataDir,
      EMBEDDED_DB_PORT: String(dbPort),
      FERRETDB_BIN: resolve(root, process.env.FERRETDB_BIN ?? '.tools/bin/ferretdb'),
      SESSIONS_PROVIDER_OVERRIDE: 'simulator',
      MONGODB_MONITOR_COMMANDS: 'true',
      RATE_LIMIT_PER_MINUTE: '100000000',
      // The launch companies are whatsapp-web companies, and the cap counts the company's provider even under the simulator.
      SESSIONS_MAX_WHATSAPP_WEB: String(Math.max(3, sessions)),
      ...options.env,
    });
    const command = [process.execPath, ...productionNodeFlags(root), resolve(root, 'dist-bench/src/main.js')];
    // taskset execs node in its own process, so the child's pid is the service's.
    const [file, ...args] = options.cpus ? ['taskset', '-c', options.cpus, ...command] : command;
    const child = spawn(file, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const service = new BenchService(child, port, dbPort, dataDir);
    live.add(service);
    try {
      await service.waitReady();
    } catch (error) {
      await service.stop();
      throw error;
    }
    service.ferretPid = childPids(service.pid, 'ferretdb')[0] ?? null;
    return service;
  }

  /** SIGTERM (the service drains and stops its FerretDB), SIGKILL after a bound; then the same for a FerretDB left behind. */
  async stop(): Promise<{ graceful: boolean }> {
    live.delete(this);
    this.http.close();
    this.ferretPid ??= childPids(this.pid, 'ferretdb')[0] ?? null;
    let graceful = true;
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      graceful = await Promise.race([this.exit!.then(() => true), sleep(TERM_GRACE_MS).then(() => false)]);
      if (!graceful) {
        this.child.kill('SIGKILL');
        await this.exit;
      }
    }
    // Ours by its data directory: left running when the service was killed or crashed.
    const leftBehind = new Set([...(this.ferretPid === null ? [] : [this.ferretPid]), ...pidsWithArgument(`--state-dir=${this.dataDir}`)]);
    for (const pid of leftBehind) {
      if (!isAlive(pid)) continue;
      graceful = false;
      await killPid(pid);
    }
    return { graceful };
  }

  /** The last lines the service wrote (LOG_LEVEL=error), for failure messages. */
  tail(): string {
    return this.output.join('').slice(-3000);
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (this.child.exitCode !== null || this.child.signalCode !== null)
        throw new Error(`service exited during start-up (${this.child.exitCode ?? this.child.signalCode}):\n${this.tail()}`);
      const status = await this.http.send('GET', '/health/ready', undefined, 2_000).then(
        (a) => a.status,
        () => 0,
      );
      if (status === 200) return;
      if (Date.now() > deadline) throw new Error(`service not ready after ${READY_TIMEOUT_MS / 1000} s:\n${this.tail()}`);
      await sleep(100);
    }
  }
}

/** Stops every service still running (on failure or interruption). */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((service) => service.stop()));
}

async function killPid(pid: number): Promise<void> {
  for (const [signal, waitMs] of [
    ['SIGTERM', 5_000],
    ['SIGKILL', 5_000],
  ] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    const deadline = Date.now() + waitMs;
    while (isAlive(pid) && Date.now() < deadline) await sleep(50);
    if (!isAlive(pid)) return;
  }
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}
