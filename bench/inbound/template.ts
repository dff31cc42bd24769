import { cpSync, mkdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { inspectDatabase } from './database';
import { cpuShare, quietShareAbove, waitForQuiet } from './proc';
import { SEED_TAG, type RunContext, type Template } from './run';
import { feed } from './seed';
import { BenchService } from './service';
import { createSessions, ensureWorking } from './sessions';
import { Workload } from './workload';

const SEED_BATCH = 500;
const SEED_CONCURRENCY = 4;

/**
 * The fresh database every fresh-phase run starts from: the service booted once on an empty directory
 * (migrations, the launch companies), its sessions created and linked through the API, then stopped cleanly.
 */
export async function prepareFresh(context: RunContext, dir: string): Promise<Template> {
  mkdirSync(dir, { recursive: true });
  await withService(context, dir, async (service) => {
    await createSessions(service.http, context.targets);
  });
  return { phase: 'fresh', dir, storedMessages: 0 };
}

/**
 * The fresh database plus `seedMessages` stored through the same inbound endpoint (large batches, closed loop),
 * with their chat and prospect updates applied before the service stops, so a run does not replay them.
 */
export async function prepareSeeded(context: RunContext, fresh: Template, dir: string): Promise<Template> {
  const { targets, options, log } = context;
  cpSync(fresh.dir, dir, { recursive: true });
  let storedMessages = 0;
  await withService(context, dir, async (service) => {
    await ensureWorking(service.http, targets);
    const pids = [service.pid, ...(service.ferretPid === null ? [] : [service.ferretPid])];
    const idle = await cpuShare(pids, 3_000);
    const started = performance.now();
    const workload = new Workload(SEED_TAG, targets, options.seedMessages, options.seedMessagesPerChat);
    const { refusals } = await feed(service.http, targets, workload, {
      total: options.seedMessages,
      batch: SEED_BATCH,
      concurrency: SEED_CONCURRENCY,
      timeoutMs: 30 * 60_000,
      onProgress: (stored) => log(`seeded ${stored} messages`),
    });
    const settled = await waitForQuiet(pids, 10 * 60_000, 1_000, quietShareAbove(idle));
    if (!settled.quiet) throw new Error('the service did not become idle after seeding (derived updates still running after 10 minutes)');
    storedMessages = (await inspectDatabase(service.dbUri)).messages;
    log(`seeded ${storedMessages} messages in ${((performance.now() - started) / 1000).toFixed(1)} s (${refusals} refusals), derived updates settled`);
  });
  return { phase: 'after50k', dir, storedMessages };
}

async function withService(context: RunContext, dir: string, work: (service: BenchService) => Promise<void>): Promise<void> {
  const service = await BenchService.start(context.root, dir, context.targets.length);
  try {
    await work(service);
  } catch (error) {
    await service.stop();
    throw error;
  }
  // Copies of this directory start further runs: an unclean stop could leave work to replay there.
  const { graceful } = await service.stop();
  if (!graceful) throw new Error(`the service did not stop within the grace period after preparing ${dir}`);
}
