import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BareServer } from './http/bare';
import { httpBenchSettings, measureTarget, pinGenerator } from './http/pinned-load';
import { buildResults, renderMarkdown, type Measured, type Target } from './http/report';
import { seedProspects } from './http/seed';
import { ADMIN_KEY, BenchService, freePort, productionNodeFlags, stopAll } from './inbound/service';
import { machineFacts } from './machine';
import { publishResults } from './publish';

const ROOT = resolve(__dirname, '../..');
const settings = httpBenchSettings(10);
/** The companies whose prospects are listed: two of the launch companies, seeded with 1,000 and 10,000. */
const LISTS = [
  { target: 'list1k', company: 'mitsubishi', prospects: 1_000 },
  { target: 'list10k', company: 'diocsa', prospects: 10_000 },
] as const;

/**
 * Issue 10: the HTTP layer's speed against a bare node:http server in the same run: `/health/live` and an
 * authenticated listing of the 20 newest prospects (1,000 and 10,000 seeded), alternated `rounds` times.
 * Writes bench/results/http.json and the `http` section of BENCHMARKS.md.
 */
async function main(): Promise<void> {
  const loadAverageBefore = loadavg()[0];
  const work = mkdtempSync(join(process.env.BENCH_TMP ?? tmpdir(), 'vv-http-bench-'));
  process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)));
  console.log(
    `http bench: ${settings.rounds} rounds, ${settings.seconds} s per target after ${settings.warmupSeconds} s warm-up, ${settings.connections} connections; load average ${loadAverageBefore.toFixed(2)}`,
  );
  const pinning = pinGenerator();
  const bare = await BareServer.start(await freePort(), pinning?.servers);
  const runs: Measured[] = [];
  try {
    for (let round = 1; round <= settings.rounds; round++) {
      // A fresh service per round: its speed varied from one start to the next here, so each round is one sample.
      const service = await startSeeded(join(work, `db-${round}`), pinning?.servers);
      try {
        const plan: Array<[Target, number, number, string, Record<string, string>]> = [
          ['bare', bare.port, bare.pid, '/health/live', {}],
          ['live', service.port, service.pid, '/health/live', {}],
          ...LISTS.map(({ target, company }): [Target, number, number, string, Record<string, string>] => [
            target,
            service.port,
            service.pid,
            `/api/v1/companies/${company}/prospects?limit=20`,
            { 'x-api-key': ADMIN_KEY },
          ]),
        ];
        for (const [target, port, pid, path, headers] of plan) {
          const measured = await measureTarget(pid, {
            port,
            path,
            headers,
            connections: settings.connections,
            warmupSeconds: settings.warmupSeconds,
            seconds: settings.seconds,
          });
          runs.push({ round, target, ...measured });
          console.log(
            `  round ${round} ${target.padEnd(7)} ${String(measured.requestsPerSecond).padStart(6)} req/s, p99 ${measured.p99Ms} ms, ${measured.serverCpuMicrosPerRequest} µs CPU/request${measured.errors ? `, non-2xx ${JSON.stringify(measured.errorsByStatus)}` : ''}`,
          );
        }
      } finally {
        await service.stop();
      }
    }
    const results = buildResults(runs, {
      ...machineFacts(),
      loadAverageBefore: Number(loadAverageBefore.toFixed(2)),
      loadAverageAfter: Number(loadavg()[0].toFixed(2)),
      quiet: loadAverageBefore < 1.5,
      pinning: pinning
        ? `load generator on CPU ${pinning.generator}, servers (and the service's FerretDB) on CPU ${pinning.servers}`
        : 'none (taskset unavailable or one CPU)',
      nodeFlags: productionNodeFlags(ROOT),
      ...settings,
    });
    const jsonPath = publishResults('http', results, renderMarkdown(results));
    console.log(
      `liveRatio ${results.liveRatio} (target ≥ 0.5: ${results.target.met ? 'met' : 'MISSED'}), listRatio 1k ${results.listRatio.prospects1k}, 10k ${results.listRatio.prospects10k}; written to ${jsonPath} and BENCHMARKS.md`,
    );
  } finally {
    await bare.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** The built service on a fresh embedded database, production settings minus command monitoring, prospects imported. */
async function startSeeded(dataDir: string, cpuList: string | undefined): Promise<BenchService> {
  const service = await BenchService.start(ROOT, dataDir, 1, { env: { MONGODB_MONITOR_COMMANDS: 'false', LOG_LEVEL: 'warn' }, cpus: cpuList });
  for (const { company, prospects } of LISTS) {
    const started = Date.now();
    await seedProspects(service.http, company, prospects);
    console.log(`  seeded ${prospects.toLocaleString('en-US')} prospects into ${company} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return service;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    void stopAll().finally(() => process.exit(1));
  },
);
