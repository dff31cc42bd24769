import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ServerProcess } from './http/bare';
import { httpBenchSettings, measureTarget, pinGenerator } from './http/pinned-load';
import { median } from './http/report';
import { STACKS } from './http/stacks/stacks';
import { BenchService, freePort, productionNodeFlags, stopAll } from './inbound/service';
import { machineFacts } from './machine';
import { publishResults } from './publish';

const ROOT = resolve(__dirname, '../..');
const settings = httpBenchSettings(6);
const TARGETS = [...STACKS, 'service'] as const;
type StackTarget = (typeof TARGETS)[number];

type StackMedians = Record<StackTarget, { requestsPerSecond: number; ratioToNode: number; serverCpuMicrosPerRequest: number }>;

interface StackRun {
  round: number;
  target: StackTarget;
  requestsPerSecond: number;
  p99Ms: number;
  serverCpuMicrosPerRequest: number;
}

/**
 * Where `/health/live`'s cost comes from: the same answer from node:http, Fastify, NestJS on Fastify (each with and
 * without the security headers the service sends), the service's HTTP pipeline without its modules, and the whole
 * built service, alternated `rounds` times in one run. Writes bench/results/http-stacks.json and the `http-stacks`
 * section of BENCHMARKS.md.
 */
async function main(): Promise<void> {
  const loadAverageBefore = loadavg()[0];
  const work = mkdtempSync(join(process.env.BENCH_TMP ?? tmpdir(), 'vv-http-stacks-'));
  process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)));
  const pinning = pinGenerator();
  const nodeFlags = productionNodeFlags(ROOT);
  const runs: StackRun[] = [];
  try {
    for (let round = 1; round <= settings.rounds; round++) {
      for (const target of TARGETS) {
        const server =
          target === 'service'
            ? await BenchService.start(ROOT, join(work, `db-${round}`), 1, {
                env: { MONGODB_MONITOR_COMMANDS: 'false', LOG_LEVEL: 'warn' },
                cpus: pinning?.servers,
              })
            : await ServerProcess.start(resolve(__dirname, 'http/stacks/stack-server.js'), await freePort(), {
                args: [target],
                nodeFlags,
                cpus: pinning?.servers,
              });
        try {
          const measured = await measureTarget(server.pid, { port: server.port, path: '/health/live', ...settings });
          if (measured.errors) throw new Error(`${target}: ${measured.errors} answers other than 2xx`);
          const { requestsPerSecond, p99Ms, serverCpuMicrosPerRequest } = measured;
          runs.push({ round, target, requestsPerSecond, p99Ms, serverCpuMicrosPerRequest });
          console.log(`  round ${round} ${target.padEnd(18)} ${String(requestsPerSecond).padStart(6)} req/s, ${serverCpuMicrosPerRequest} µs CPU/request`);
        } finally {
          await server.stop();
        }
      }
    }
    const medians = Object.fromEntries(
      TARGETS.map((target) => {
        const mine = runs.filter((run) => run.target === target);
        const ratios = mine.map((run) => run.requestsPerSecond / runs.find((base) => base.round === run.round && base.target === 'node')!.requestsPerSecond);
        return [
          target,
          {
            requestsPerSecond: median(mine.map((run) => run.requestsPerSecond)),
            ratioToNode: Number(median(ratios).toFixed(2)),
            serverCpuMicrosPerRequest: median(mine.map((run) => run.serverCpuMicrosPerRequest)),
          },
        ];
      }),
    ) as StackMedians;
    const results = {
      measuredAt: new Date().toISOString(),
      environment: {
        ...machineFacts(),
        loadAverageBefore: Number(loadAverageBefore.toFixed(2)),
        pinning: pinning ? `load generator on CPU ${pinning.generator}, servers on CPU ${pinning.servers}` : 'none',
        nodeFlags,
        ...settings,
      },
      medians,
      runs,
    };
    const jsonPath = publishResults('http-stacks', results, render(results));
    console.log(`written to ${jsonPath} and BENCHMARKS.md`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function render(results: { measuredAt: string; environment: Record<string, unknown>; medians: StackMedians }): string {
  const e = results.environment;
  const rows = TARGETS.map((target) => {
    const m = results.medians[target];
    return `| ${target} | ${m.requestsPerSecond.toLocaleString('en-US')} | ${m.ratioToNode} | ${m.serverCpuMicrosPerRequest} |`;
  });
  return [
    '## Where `/health/live` spends its time (`npm run bench:http-stacks`)',
    '',
    `${results.measuredAt}. Node ${String(e.node)}, ${String(e.cpu)} (${String(e.cores)} cores), load average ${String(e.loadAverageBefore)} before the run; ${String(e.pinning)}.`,
    `The same \`GET /health/live\` answer from each stack in its own process (\`node ${(e.nodeFlags as string[]).join(' ')}\`), closed-loop load over ${String(e.connections)}`,
    `keep-alive connections, ${String(e.warmupSeconds)} s warm-up and ${String(e.seconds)} s measured per stack, all stacks alternated ${String(e.rounds)} times in this one run.`,
    '"+headers": the security headers the service sends on every response (helmet\'s, with our policy: 12 headers, 667 bytes), set in an `onRequest` hook.',
    '"our-http-pipeline": the service\'s `createHttpApp` (adapter options, request gate, parsers, validation pipe, OpenAPI) around the one route, without the application\'s modules.',
    '"service": the whole built service on its embedded database, as `bench:http` runs it.',
    '',
    '| stack | req/s (median) | ÷ node (median of rounds) | server CPU µs/request (median) |',
    '|---|---:|---:|---:|',
    ...rows,
    '',
    'Raw figures per round: `bench/results/http-stacks.json`.',
  ].join('\n');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    void stopAll().finally(() => process.exit(1));
  },
);
