import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { median } from './http/report';
import { measureFloorRun, type FloorFigures } from './inbound/floor-run';
import { parseOptions } from './inbound/options';
import { measureRun, type RunContext } from './inbound/run';
import { productionNodeFlags, stopAll } from './inbound/service';
import { benchTargets } from './inbound/sessions';
import { prepareFresh } from './inbound/template';
import { machineFacts } from './machine';
import { publishResults } from './publish';

const ROOT = resolve(__dirname, '../..');
const ROUNDS = Number(process.env.BENCH_FLOOR_ROUNDS ?? 3);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error(`BENCH_FLOOR_ROUNDS must be a whole number >= 1, got "${process.env.BENCH_FLOOR_ROUNDS}"`);
/** Issue 6's bound on our CPU per message. */
const CPU_TARGET_MICROS = 250;

interface FloorRound {
  round: number;
  floor: FloorFigures;
  service: {
    cpuMicrosPerMessage: number | null;
    cpuMicrosPerMessageNetOfIdle: number | null;
    persistedMsgPerSec: number;
    p99Ms: number | null;
    idleCpuMicrosPerSecond: number;
    measuredSeconds: number;
  };
}

/**
 * Issue 6's CPU target against what this machine charges for the least the endpoint must do: floor-server.js (HTTP in,
 * one insert per request, answer) and the built service, each on a fresh embedded FerretDB under the same open-loop
 * load, alternated ROUNDS times in one run. The service runs as in production (command monitoring off).
 */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv, { BENCH_INBOUND_RATES: '1000', ...process.env });
  const rate = options.rates[options.rates.length - 1];
  const work = mkdtempSync(join(options.tmpRoot, 'vv-inbound-floor-'));
  process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)));
  const loadAverageBefore = loadavg()[0];
  const log = (text: string) => console.log(`  ${text}`);
  const context: RunContext = {
    root: ROOT,
    targets: benchTargets(options.sessionsPerCompany),
    options,
    log,
    serviceEnv: { MONGODB_MONITOR_COMMANDS: 'false' },
  };
  const rounds: FloorRound[] = [];
  try {
    const template = await prepareFresh(context, join(work, 'template'));
    for (let round = 1; round <= ROUNDS; round++) {
      const floor = await measureFloorRun(context, join(work, `floor-${round}`), rate, 1);
      log(`round ${round} floor:   ${floor.cpuMicrosPerMessage} µs/msg, ${floor.persistedMsgPerSec} msg/s, p99 ${floor.p99Ms} ms`);
      const run = await measureRun(context, template, join(work, `service-${round}`), rate, 2);
      const service = {
        cpuMicrosPerMessage: run.cpuMicrosPerMessage,
        cpuMicrosPerMessageNetOfIdle: run.cpuMicrosPerMessageNetOfIdle,
        persistedMsgPerSec: run.persistedMsgPerSec,
        p99Ms: run.p99Ms,
        idleCpuMicrosPerSecond: run.idle.cpuMicrosPerSecond,
        measuredSeconds: run.measuredSeconds,
      };
      log(`round ${round} service: ${service.cpuMicrosPerMessage} µs/msg, ${service.persistedMsgPerSec} msg/s, p99 ${service.p99Ms} ms`);
      rounds.push({ round, floor, service });
    }
  } finally {
    await stopAll();
    rmSync(work, { recursive: true, force: true });
  }
  const medianOf = (pick: (round: FloorRound) => number | null) => median(rounds.map((round) => pick(round) ?? Infinity));
  const medians = {
    floorCpuMicrosPerMessage: medianOf((r) => r.floor.cpuMicrosPerMessage),
    serviceCpuMicrosPerMessage: medianOf((r) => r.service.cpuMicrosPerMessage),
    floorP99Ms: medianOf((r) => r.floor.p99Ms),
    serviceP99Ms: medianOf((r) => r.service.p99Ms),
    floorIdleCpuMicrosPerSecond: medianOf((r) => r.floor.idleCpuMicrosPerSecond),
    serviceIdleCpuMicrosPerSecond: medianOf((r) => r.service.idleCpuMicrosPerSecond),
  };
  const results = {
    measuredAt: new Date().toISOString(),
    environment: {
      ...machineFacts(),
      loadAverageBefore: Number(loadAverageBefore.toFixed(2)),
      nodeFlags: productionNodeFlags(ROOT),
      offeredMsgPerSec: rate,
      seconds: options.seconds,
      messagesPerRequest: options.messagesPerRequest,
      sessions: context.targets.length,
      rounds: ROUNDS,
    },
    target: { cpuMicrosPerMessage: CPU_TARGET_MICROS, floorShareOfTarget: Number((medians.floorCpuMicrosPerMessage / CPU_TARGET_MICROS).toFixed(2)) },
    medians,
    rounds,
  };
  const jsonPath = publishResults('inbound-floor', results, render(results));
  console.log(`written to ${jsonPath} and BENCHMARKS.md: ${JSON.stringify(medians)}`);
}

type Results = {
  measuredAt: string;
  environment: {
    node: string;
    cpu: string;
    cores: number;
    loadAverageBefore: number;
    nodeFlags: string[];
    offeredMsgPerSec: number;
    seconds: number;
    messagesPerRequest: number;
    sessions: number;
    rounds: number;
  };
  target: { cpuMicrosPerMessage: number; floorShareOfTarget: number };
  medians: Record<string, number>;
  rounds: FloorRound[];
};

function render({ measuredAt, environment: e, target, medians: m, rounds }: Results): string {
  const cell = (value: number | null) => (value === null ? 'n/a' : String(value));
  return [
    '## Inbound CPU: the service against the floor of its contract (`npm run bench:inbound-floor`)',
    '',
    `${measuredAt}. Node ${e.node}, ${e.cpu} (${e.cores} cores), load average ${e.loadAverageBefore} before the run; \`node ${e.nodeFlags.join(' ')}\`.`,
    `Both on a fresh embedded FerretDB of their own, under \`bench:inbound\`'s open-loop load: ${e.offeredMsgPerSec} msg/s for ${e.seconds} s, ${e.messagesPerRequest} messages per request over ${e.sessions} sessions,`,
    `alternated ${e.rounds} times in this one run; CPU from the first send until the process and its FerretDB were quiet again, per message acknowledged.`,
    '"floor": `bench/inbound/floor-server.ts`, the least the simulator endpoint\'s contract allows: node:http, `JSON.parse`, one `insertMany` per request',
    'under a unique (session, id) index, an answer per message. No authentication, validation, event log, chats, prospects, metrics or timers.',
    '"service": the built service as `bench:inbound` runs it, with command monitoring off as in production.',
    '',
    '| round | floor µs/msg | floor p99 ms | service µs/msg | service p99 ms |',
    '|---:|---:|---:|---:|---:|',
    ...rounds.map(
      (r) => `| ${r.round} | ${r.floor.cpuMicrosPerMessage} | ${cell(r.floor.p99Ms)} | ${cell(r.service.cpuMicrosPerMessage)} | ${cell(r.service.p99Ms)} |`,
    ),
    `| median | **${m.floorCpuMicrosPerMessage}** | ${m.floorP99Ms} | **${m.serviceCpuMicrosPerMessage}** | ${m.serviceP99Ms} |`,
    '',
    `The floor alone uses ${Math.round(target.floorShareOfTarget * 100)} % of issue 6's ${target.cpuMicrosPerMessage} µs per message on this machine; idle, it used ${m.floorIdleCpuMicrosPerSecond} µs of CPU a second (the service ${m.serviceIdleCpuMicrosPerSecond}).`,
    'Raw figures per round: `bench/results/inbound-floor.json`.',
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error('inbound floor bench FAILED:', error);
  process.exitCode = 1;
});
