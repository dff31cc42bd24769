import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import mongoose from 'mongoose';
import { benchCommand, describeServer, startServer } from './server';
import { runInChild } from './sessions/child';
import { attribute, type Attribution } from './sessions/heap-attribution';
import { writeSessionsSection } from './sessions/markdown';
import type { Persistence, RunOptions, RunResult } from './sessions/protocol';
import { buildResults, keepChromium, type SessionsResults } from './sessions/report';
import { machineFacts } from './machine';

const ROOT = resolve(__dirname, '../..');
const COMPANIES = 10;
/** Start calls in flight: the manager's own admission limit (SESSION_START_CONCURRENCY's default); more only queues writes on FerretDB. */
const CONCURRENCY = 10;
const WARMUP = 50;
const SETTLE_MS = 1_000;

async function main(): Promise<void> {
  const server = await startServer(process.env.FERRETDB_BIN ?? resolve(ROOT, '.tools/bin/ferretdb'));
  try {
    const serverName = await serverNameOf(server.uri);
    const stamp = Date.now().toString(36);
    const options = (label: string, sessions: number, persistence: Persistence, extra: Partial<RunOptions> = {}): RunOptions => ({
      label,
      sessions,
      companies: COMPANIES,
      persistence,
      concurrency: CONCURRENCY,
      warmup: WARMUP,
      settleMs: SETTLE_MS,
      uri: server.uri,
      runId: `bs${stamp}${label}`
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '')
        .slice(0, 19),
      ...extra,
    });
    console.log(`sessions bench on ${serverName}: simulated sessions, ${COMPANIES} companies, ${CONCURRENCY} starts in flight`);

    const withAttribution = process.env.BENCH_SESSIONS_ATTRIBUTION !== '0';
    const probe = process.env.BENCH_SESSIONS_PROBE;
    if (probe) return void (await runProbe(options(`probe`, Number(probe), 'real')));

    // FerretDB's SQLite backend scans a collection up to the document for every lookup by _id, so each read and write of a
    // session costs in proportion to the number of sessions: 10,000 starts through the database would take over half an hour.
    const persistence10k = persistenceFor10k(serverName);
    const skipSessionReads = persistence10k === 'skipped' && process.env.BENCH_SESSIONS_10K_READS !== 'real';
    const inMemory = { skipSessionReads };
    console.log(
      `1,000 sessions through the database; 10,000 with writes ${persistence10k}${skipSessionReads ? ' and session reads from memory' : ''}` +
        `${withAttribution ? '; heap attribution' : ''}: concurrent processes`,
    );
    // Separate processes measure separate heaps, so the runs share the machine (and the server, on databases of their
    // own) without touching each other's readings; only their start rates suffer. The reading at 1,000 on the way
    // gives the 10k run's own 1,000-session figure and the marginal cost of sessions 1,001 to 10,000.
    const abort = new AbortController();
    const settle = <T>(run: Promise<T>) => run.catch((error: unknown) => (abort.abort(), Promise.reject(error)));
    const [real1k, run10k, attribution] = await Promise.all([
      settle(runInChild(options('real1k', 1_000, 'real'), abort.signal)),
      settle(
        runInChild(options(`${persistence10k === 'real' ? 'real' : 'mem'}10k`, 10_000, persistence10k, { checkpoints: [1_000], ...inMemory }), abort.signal),
      ),
      withAttribution ? settle(attributionRun(options, inMemory, abort.signal)) : null,
    ]);
    for (const run of [real1k, run10k]) report(run);
    const projected = real1k.startSeconds * 10;

    const jsonPath = resolve(ROOT, 'bench/results/sessions.json');
    const existing = existsSync(jsonPath) ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as Partial<SessionsResults>) : undefined;
    const built = buildResults({
      real1k,
      run10k,
      projectedReal10kSeconds: Math.round(projected),
      attribution,
      environment: {
        server: serverName,
        serverOrigin: server.origin,
        ...machineFacts(),
        date: new Date().toISOString(),
        command: command(),
      },
    });
    const results = keepChromium(built, existing);
    mkdirSync(dirname(jsonPath), { recursive: true });
    writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
    writeSessionsSection(resolve(ROOT, 'BENCHMARKS.md'), results);
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;
    console.log(
      `heap per session: ${kb(results.bytesPerSession1k)} at 1,000 (real writes), ${kb(results.bytesPerSession10k)} at 10,000 (${persistence10k} writes)`,
    );
    console.log(`target <= 64 KB of heap per session: ${results.target.met ? 'met' : 'MISSED'}`);
    console.log('wrote bench/results/sessions.json and the sessions section of BENCHMARKS.md');
  } finally {
    await server.stop();
  }
}

async function runProbe(options: RunOptions): Promise<void> {
  const result = report(await runInChild(options));
  const perStart = result.startSeconds / result.sessions;
  console.log(
    `probe: ${(perStart * 1000).toFixed(1)} ms per start; 1,000 ≈ ${(perStart * 1_000).toFixed(0)} s, 10,000 ≈ ${(perStart * 10_000).toFixed(0)} s (nothing written)`,
  );
}

/** Heap snapshots around 1,000 starts (writes skipped), in a run of their own: taking a snapshot perturbs the readings. */
async function attributionRun(
  options: (label: string, sessions: number, persistence: Persistence, extra?: Partial<RunOptions>) => RunOptions,
  extra: Partial<RunOptions>,
  signal: AbortSignal,
): Promise<Attribution> {
  const dir = mkdtempSync(join(tmpdir(), 'vv-sessions-heap-'));
  try {
    const result = await runInChild(options('attr1k', 1_000, 'skipped', { ...extra, snapshotDir: dir }), signal);
    if (!result.snapshots) throw new Error('the attribution run wrote no heap snapshots');
    console.log('  [attr1k] comparing heap snapshots');
    return attribute(result.snapshots.before, result.snapshots.after, result.sessions);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes skipped on FerretDB, written on MongoDB, unless BENCH_SESSIONS_10K_PERSISTENCE says otherwise. */
function persistenceFor10k(serverName: string): Persistence {
  const forced = process.env.BENCH_SESSIONS_10K_PERSISTENCE;
  if (forced === 'real' || forced === 'skipped') return forced;
  if (forced) throw new Error(`BENCH_SESSIONS_10K_PERSISTENCE must be "real" or "skipped", got "${forced}"`);
  return serverName.startsWith('FerretDB') ? 'skipped' : 'real';
}

function report(result: RunResult): RunResult {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(2).padStart(7)} KB`;
  console.log(
    `${result.label.padEnd(7)} ${String(result.sessions).padStart(6)} sessions (writes ${result.persistence.padEnd(7)}): heap ${kb(result.perSession.heapBytes)}/session,` +
      ` rss ${kb(result.perSession.rssBytes)}/session; ${result.startsPerSecond} starts/s, ${result.cpuMicrosPerStart} µs CPU/start`,
  );
  const m = result.marginal;
  if (m) console.log(`        marginal ${m.fromSessions} → ${m.toSessions}: heap ${kb(m.heapBytes)}/session, rss ${kb(m.rssBytes)}/session`);
  return result;
}

async function serverNameOf(uri: string): Promise<string> {
  const connection = await mongoose.createConnection(uri).asPromise();
  try {
    return await describeServer(connection.getClient().db('admin'));
  } finally {
    await connection.close();
  }
}

function command(): string {
  return benchCommand('bench:sessions', 'dist-bench/bench/sessions.bench.js', [
    'BENCH_SESSIONS_10K_PERSISTENCE',
    'BENCH_SESSIONS_10K_READS',
    'BENCH_SESSIONS_ATTRIBUTION',
  ]);
}

main().catch((error: unknown) => {
  console.error('sessions bench FAILED:', error);
  process.exitCode = 1;
});
