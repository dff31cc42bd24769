/**
 * One measured run, in a process of its own (forked by `bench/sessions.bench.ts` with `--expose-gc --no-flush-bytecode`):
 * boots the real application context on the simulator provider, seeds and starts `sessions` linked
 * sessions through `SessionManager.start`, and reports the heap and RSS growth between the idle app and
 * the same app holding every session WORKING and idle. A fresh process per run keeps one run's garbage,
 * heap growth and allocator state out of the next one's readings.
 */
// First: sets the environment that the modules under src/ read when they load.
import { CAP, options } from './environment';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { AppModule } from '../../src/app.module';
import { sessionsConfig, type SessionsConfig } from '../../src/core/config/configuration';
import { SimulatorAdapter } from '../../src/providers/simulator/simulator.adapter';
import { SessionEvents } from '../../src/sessions/session-events';
import { SessionManager } from '../../src/sessions/session-manager.service';
import { SessionsRepository } from '../../src/sessions/sessions.repository';
import { CompaniesService } from '../../src/tenancy/companies.service';
import type { CompanyRecord } from '../../src/tenancy/company';
import type { Checkpoint, ChildMessage, MemoryReading, PerSession, RunOptions, RunResult } from './protocol';
import { seededRecord, seedLinkedSessions, sessionAt } from './seed';

async function main(): Promise<void> {
  const gc = globalThis.gc;
  if (!gc) throw new Error('run with node --expose-gc');

  const bootStarted = performance.now();
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  const bootSeconds = (performance.now() - bootStarted) / 1000;
  const control = app.get<Connection>(getConnectionToken());
  const manager = app.get(SessionManager);
  const simulator = app.get(SimulatorAdapter);
  const repository = app.get(SessionsRepository);
  // The schema refuses SESSIONS_MAX_WHATSAPP_WEB above 1,000; the manager reads its cap from this object on every start.
  app.get<SessionsConfig>(sessionsConfig.KEY).maxWhatsappWeb = CAP;
  if (options.persistence === 'skipped') repository.update = async () => undefined;
  if (options.skipSessionReads) repository.find = async (company, name) => seededRecord(company, name);

  let working = 0;
  app.get(SessionEvents).on('transition', ({ status }) => {
    if (status === 'WORKING') working++;
  });

  const companies: CompanyRecord[] = [];
  try {
    for (let c = 0; c < options.companies; c++) {
      companies.push(await app.get(CompaniesService).create({ slug: `bench-co-${c}`, displayName: `Bench Co ${c}`, provider: 'whatsapp-web' }));
    }
    progress(`booted in ${bootSeconds.toFixed(1)} s; warming up with ${options.warmup} sessions`);
    await seedLinkedSessions(control, companies, 'warm-', options.warmup);
    await startRange(manager, companies, 'warm-', 0, options.warmup, options.concurrency);
    await until(
      () => working >= options.warmup,
      60_000,
      () => `warm-up: ${working}/${options.warmup} WORKING`,
    );
    for (let i = 0; i < options.warmup; i++) {
      const { company, name } = sessionAt(companies, 'warm-', i);
      await manager.remove(company, name);
    }
    if (manager.all().length !== 0) throw new Error(`warm-up left ${manager.all().length} runtimes behind`);

    await seedLinkedSessions(control, companies, 's', options.sessions);
    working = 0;
    await sleep(options.settleMs);
    const baseline = await reading(gc);
    const before = options.snapshotDir ? writeHeapSnapshot(join(options.snapshotDir, `${options.runId}-before.heapsnapshot`)) : undefined;
    progress(`baseline heap ${mb(baseline.heapUsed)}, rss ${mb(baseline.rss)}; starting ${options.sessions} sessions (status writes ${options.persistence})`);

    const checkpoints: Checkpoint[] = [];
    let startMs = 0;
    let cpuMicros = 0;
    let verified: RunResult['verified'] | undefined;
    for (const target of [...(options.checkpoints ?? []).filter((n) => n > 0 && n < options.sessions), options.sessions]) {
      const from = checkpoints.at(-1)?.sessions ?? 0;
      const cpuStart = process.cpuUsage();
      const started = performance.now();
      await startRange(manager, companies, 's', from, target, options.concurrency);
      await until(
        () => working >= target,
        600_000,
        () => `${working}/${target} WORKING`,
      );
      startMs += performance.now() - started;
      const cpu = process.cpuUsage(cpuStart);
      cpuMicros += cpu.user + cpu.system;

      verified = await verify(target);
      await sleep(options.settleMs);
      checkpoints.push({ sessions: target, memory: await reading(gc) });
      progress(`${target} WORKING: heap ${mb(checkpoints.at(-1)!.memory.heapUsed)}, rss ${mb(checkpoints.at(-1)!.memory.rss)}`);
    }
    const after = checkpoints.at(-1)!.memory;
    const afterSnapshot = options.snapshotDir ? writeHeapSnapshot(join(options.snapshotDir, `${options.runId}-after.heapsnapshot`)) : undefined;

    const n = options.sessions;
    const first = checkpoints[0];
    const result: RunResult = {
      label: options.label,
      sessions: n,
      companies: options.companies,
      persistence: options.persistence,
      sessionReads: options.skipSessionReads ? 'memory' : 'database',
      concurrency: options.concurrency,
      warmup: options.warmup,
      settleMs: options.settleMs,
      bootSeconds: round(bootSeconds, 2),
      startSeconds: round(startMs / 1000, 2),
      startsPerSecond: round(n / (startMs / 1000), 1),
      cpuMicrosPerStart: round(cpuMicros / n, 1),
      baseline,
      after,
      perSession: perSession(baseline, after, n),
      checkpoints,
      marginal: checkpoints.length > 1 ? { fromSessions: first.sessions, toSessions: n, ...perSession(first.memory, after, n - first.sessions) } : undefined,
      verified: verified!,
      snapshots: before && afterSnapshot ? { before, after: afterSnapshot } : undefined,
    };
    await send({ type: 'result', result });
  } finally {
    await shutdown(app, control, repository, companies, options);
  }

  /** Every one of the first `count` sessions is WORKING in the manager and the simulator, and in the database when written. */
  async function verify(count: number): Promise<RunResult['verified']> {
    const sessions = control.db?.collection('sessions');
    const verified = {
      working: manager.all().filter((runtime) => runtime.status === 'WORKING').length,
      active: manager.active().length,
      simulatorRunning: simulator.runningCount(),
      persistedWorking: options.persistence === 'real' && sessions ? await sessions.countDocuments({ status: 'WORKING', desired: 'running' }) : null,
    };
    const counts = [verified.working, verified.active, verified.simulatorRunning, verified.persistedWorking ?? count];
    if (counts.some((n) => n !== count)) throw new Error(`expected ${count} WORKING sessions: ${JSON.stringify(verified)}`);
    return verified;
  }
}

function perSession(from: MemoryReading, to: MemoryReading, sessions: number): PerSession {
  const per = (field: keyof MemoryReading) => Math.round((to[field] - from[field]) / sessions);
  return { heapBytes: per('heapUsed'), heapTotalBytes: per('heapTotal'), rssBytes: per('rss'), externalBytes: per('external') };
}

/** Sessions `from` … `to - 1` through `SessionManager.start`, at most `concurrency` calls at a time. */
async function startRange(manager: SessionManager, companies: CompanyRecord[], prefix: string, from: number, to: number, concurrency: number): Promise<void> {
  let next = from;
  const worker = async () => {
    while (next < to) {
      const { company, name } = sessionAt(companies, prefix, next++);
      await manager.start(company, name);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, to - from) }, worker));
}

/** Two full collections with a turn of the event loop between them (finalizers, weak references), then the reading. */
async function reading(gc: () => void): Promise<MemoryReading> {
  for (let i = 0; i < 2; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    await sleep(100);
  }
  gc();
  const { heapUsed, heapTotal, rss, external, arrayBuffers } = process.memoryUsage();
  return { heapUsed, heapTotal, rss, external, arrayBuffers };
}

async function until(done: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`);
    await sleep(20);
  }
}

/** Drops this run's databases, then closes the app with persistence off so the shutdown suspends touch nothing. */
async function shutdown(
  app: INestApplicationContext,
  control: Connection,
  repository: { update: unknown },
  companies: CompanyRecord[],
  options: RunOptions,
): Promise<void> {
  repository.update = async () => undefined;
  const databases = [`${options.runId}_control`, ...companies.map((company) => company.dbName)];
  await Promise.allSettled(databases.map((name) => control.getClient().db(name).dropDatabase()));
  await app.close();
}

/** Resolves once the message is handed to the parent, so exiting right after cannot lose it. */
function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) {
      console.log(JSON.stringify(message));
      return resolve();
    }
    process.send(message, undefined, undefined, (error: Error | null) => (error ? reject(error) : resolve()));
  });
}

function progress(text: string): void {
  void send({ type: 'progress', text });
}

function mb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('sessions bench run FAILED:', error);
    process.exit(1);
  },
);
