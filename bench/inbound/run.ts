import { cpSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { inspectDatabase } from './database';
import { toFigures, type Reading, type RunFigures } from './figures';
import { runLoad } from './load';
import { scrape } from './metrics';
import type { BenchOptions, Phase } from './options';
import { cpuMicros, quietShareAbove, RssSampler, waitForQuiet } from './proc';
import { feed } from './seed';
import { BenchService } from './service';
import { ensureWorking, type Target } from './sessions';
import { Workload } from './workload';

const IDLE_WINDOW_MS = 3_000;
/** Derived updates can fall far behind at high rates: the settle bound grows with the run. */
const settleTimeoutMs = (seconds: number) => Math.max(20_000, seconds * 2_000);
/** Workload tags (first digit of the sender's number): 0 warm-up, 9 seed, 1–8 measured runs. */
export const WARMUP_TAG = 0;
export const SEED_TAG = 9;

export interface RunContext {
  root: string;
  targets: Target[];
  options: BenchOptions;
  log: (text: string) => void;
  /** Settings that replace the bench's own for the service (e.g. command monitoring off, as in production). */
  serviceEnv?: Record<string, string>;
}

/** A database directory prepared once per phase (sessions linked, and the seed stored), copied for every run. */
export interface Template {
  phase: Phase;
  dir: string;
  storedMessages: number;
}

/**
 * One measured run: a copy of a prepared database, a fresh service process, a warm-up, an idle baseline, then the
 * open-loop load; CPU and commands are counted from the first send until the service and FerretDB are idle again.
 */
export async function measureRun(context: RunContext, template: Template, runDir: string, rate: number, tag: number): Promise<RunFigures> {
  const { root, targets, options, log } = context;
  cpSync(template.dir, runDir, { recursive: true });
  const service = await BenchService.start(root, runDir, targets.length, { env: context.serviceEnv });
  let gracefulStop = false;
  try {
    const { http } = service;
    const pids = [service.pid, ...(service.ferretPid === null ? [] : [service.ferretPid])];
    const read = async (): Promise<Reading> => ({
      scrape: await scrape(http),
      cpu: cpuMicros(service.pid)!,
      ferret: service.ferretPid === null ? null : cpuMicros(service.ferretPid),
      at: performance.now(),
    });
    await ensureWorking(http, targets);
    const warmupWorkload = new Workload(WARMUP_TAG, targets, options.warmupMessages, options.messagesPerChat);
    const warmup =
      options.warmupMessages > 0
        ? await feed(http, targets, warmupWorkload, { total: options.warmupMessages, batch: options.messagesPerRequest, concurrency: 4, timeoutMs: 120_000 })
        : { stored: 0 };
    await waitForQuiet(pids, settleTimeoutMs(0));

    const idleBefore = await read();
    await sleep(IDLE_WINDOW_MS);
    const idleAfter = await read();

    const sampler = new RssSampler(pids).start();
    const rssStart = sampler.lastOf(service.pid)!;
    const before = await read();
    const generatorBefore = process.cpuUsage();
    const workload = new Workload(tag, targets, rate * options.seconds, options.messagesPerChat);
    log(`offering ${rate} msg/s for ${options.seconds} s (${targets.length} sessions, ${workload.chatsPerSession} chats each)`);
    const outcome = await runLoad(http, targets, workload, {
      rate,
      seconds: options.seconds,
      messagesPerRequest: options.messagesPerRequest,
      drainSeconds: options.drainSeconds,
    });
    const idleShare = (idleAfter.cpu - idleBefore.cpu + ((idleAfter.ferret ?? 0) - (idleBefore.ferret ?? 0))) / ((idleAfter.at - idleBefore.at) * 1000);
    const settle = await waitForQuiet(pids, settleTimeoutMs(options.seconds), 500, quietShareAbove(idleShare));
    const generator = process.cpuUsage(generatorBefore);
    const after = await read();
    sampler.stop();

    const database = await inspectDatabase(service.dbUri);
    gracefulStop = (await service.stop()).graceful;
    return toFigures({
      phase: template.phase,
      storedBefore: template.storedMessages,
      rate,
      seconds: options.seconds,
      messagesPerRequest: options.messagesPerRequest,
      sessions: targets.length,
      chatsPerSession: workload.chatsPerSession,
      warmupStored: warmup.stored,
      idleBefore,
      idleAfter,
      before,
      after,
      generatorMicros: generator.user + generator.system,
      rss: {
        start: rssStart,
        peak: sampler.peakOf(service.pid)!,
        end: sampler.lastOf(service.pid)!,
        ferretPeak: service.ferretPid === null ? null : sampler.peakOf(service.ferretPid),
      },
      outcome,
      settledQuietly: settle.quiet,
      database,
      gracefulStop,
    });
  } finally {
    if (!gracefulStop) await service.stop();
    rmSync(runDir, { recursive: true, force: true });
  }
}
