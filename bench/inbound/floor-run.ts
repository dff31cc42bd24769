import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ServerProcess } from '../http/bare';
import { percentiles, round } from './figures';
import { LocalHttp } from './http';
import { runLoad } from './load';
import { childPids, cpuMicros, quietShareAbove, waitForQuiet } from './proc';
import { WARMUP_TAG, type RunContext } from './run';
import { feed } from './seed';
import { ADMIN_KEY, freePort, productionNodeFlags } from './service';
import { Workload } from './workload';

const IDLE_WINDOW_MS = 3_000;

export interface FloorFigures {
  persisted: number;
  persistedMsgPerSec: number;
  p99Ms: number | null;
  /** The floor server's CPU per persisted message, from the first send until it and its FerretDB were quiet again. */
  cpuMicrosPerMessage: number;
  ferretCpuMicrosPerMessage: number | null;
  idleCpuMicrosPerSecond: number;
  measuredSeconds: number;
}

/** One run of floor-server.js on a fresh database, measured like `measureRun` measures the service. */
export async function measureFloorRun(context: RunContext, dataDir: string, rate: number, tag: number): Promise<FloorFigures> {
  const { root, targets, options } = context;
  mkdirSync(dataDir, { recursive: true });
  const binary = resolve(root, process.env.FERRETDB_BIN ?? '.tools/bin/ferretdb');
  const server = await ServerProcess.start(resolve(__dirname, 'floor-server.js'), await freePort(), {
    args: [dataDir, binary, String(await freePort())],
    nodeFlags: productionNodeFlags(root),
  });
  const http = new LocalHttp(server.port, ADMIN_KEY);
  try {
    const ferretPid = childPids(server.pid, 'ferretdb')[0] ?? null;
    const pids = [server.pid, ...(ferretPid === null ? [] : [ferretPid])];
    const cpu = () => ({ server: cpuMicros(server.pid)!, ferret: ferretPid === null ? null : cpuMicros(ferretPid), at: performance.now() });
    const warmup = new Workload(WARMUP_TAG, targets, options.warmupMessages, options.messagesPerChat);
    await feed(http, targets, warmup, { total: options.warmupMessages, batch: options.messagesPerRequest, concurrency: 4, timeoutMs: 120_000 });
    await waitForQuiet(pids, 20_000);
    const idleBefore = cpu();
    await sleep(IDLE_WINDOW_MS);
    const idleAfter = cpu();
    const idleMicros = (idleAfter.at - idleBefore.at) * 1000;
    const idleShare = (idleAfter.server - idleBefore.server) / idleMicros;
    // Quiet, as for the service: a little above what the server and its FerretDB used together while idle.
    const idleShareWithDatabase = idleShare + ((idleAfter.ferret ?? 0) - (idleBefore.ferret ?? 0)) / idleMicros;

    const before = cpu();
    const workload = new Workload(tag, targets, rate * options.seconds, options.messagesPerChat);
    const outcome = await runLoad(http, targets, workload, {
      rate,
      seconds: options.seconds,
      messagesPerRequest: options.messagesPerRequest,
      drainSeconds: options.drainSeconds,
    });
    await waitForQuiet(pids, 60_000, 500, quietShareAbove(idleShareWithDatabase));
    const after = cpu();
    return {
      persisted: outcome.persisted,
      persistedMsgPerSec: round(outcome.persistedInWindow / options.seconds, 1),
      p99Ms: percentiles(outcome.latencyMs).p99Ms,
      cpuMicrosPerMessage: round((after.server - before.server) / Math.max(1, outcome.persisted), 1),
      ferretCpuMicrosPerMessage:
        after.ferret === null || before.ferret === null ? null : round((after.ferret - before.ferret) / Math.max(1, outcome.persisted), 0),
      idleCpuMicrosPerSecond: round(idleShare * 1e6, 0),
      measuredSeconds: round((after.at - before.at) / 1000, 2),
    };
  } finally {
    http.close();
    await server.stop();
  }
}
