import type { LoadFigures } from './load';

export type Target = 'bare' | 'live' | 'list1k' | 'list10k';

export interface Measured extends LoadFigures {
  round: number;
  target: Target;
  /** CPU (user + system) the serving process spent per request, µs; the service's FerretDB not included. */
  serverCpuMicrosPerRequest: number;
}

export interface HttpResults {
  measuredAt: string;
  environment: Record<string, unknown>;
  /** Median over the rounds of (service req/s ÷ bare req/s in the same round). */
  liveRatio: number;
  listRatio: { prospects1k: number; prospects10k: number };
  medians: Record<Target, { requestsPerSecond: number; p99Ms: number; serverCpuMicrosPerRequest: number }>;
  target: { liveRatio: number; met: boolean };
  runs: Measured[];
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
/** Two significant digits: the listings' ratios are around 1e-4. */
const round = (value: number) => Number(value.toPrecision(2));

export const LIVE_RATIO_TARGET = 0.5;

export function buildResults(runs: Measured[], environment: Record<string, unknown>): HttpResults {
  const rounds = [...new Set(runs.map((run) => run.round))];
  const of = (target: Target, r: number) => runs.find((run) => run.target === target && run.round === r)!;
  const ratio = (target: Target) => round(median(rounds.map((r) => of(target, r).requestsPerSecond / of('bare', r).requestsPerSecond)));
  const medians = Object.fromEntries(
    (['bare', 'live', 'list1k', 'list10k'] as const).map((target) => {
      const mine = runs.filter((run) => run.target === target);
      return [
        target,
        {
          requestsPerSecond: median(mine.map((m) => m.requestsPerSecond)),
          p99Ms: median(mine.map((m) => m.p99Ms)),
          serverCpuMicrosPerRequest: median(mine.map((m) => m.serverCpuMicrosPerRequest)),
        },
      ];
    }),
  ) as HttpResults['medians'];
  const liveRatio = ratio('live');
  return {
    measuredAt: new Date().toISOString(),
    environment,
    liveRatio,
    listRatio: { prospects1k: ratio('list1k'), prospects10k: ratio('list10k') },
    medians,
    target: { liveRatio: LIVE_RATIO_TARGET, met: liveRatio >= LIVE_RATIO_TARGET },
    runs,
  };
}

const LABEL: Record<Target, string> = {
  bare: 'bare node:http, tiny JSON',
  live: 'service `GET /health/live`',
  list1k: 'service `GET …/prospects?limit=20`, 1,000 prospects',
  list10k: 'service `GET …/prospects?limit=20`, 10,000 prospects',
};

export function renderMarkdown(r: HttpResults): string {
  const e = r.environment;
  const rows = (['bare', 'live', 'list1k', 'list10k'] as const).map((target) => {
    const m = r.medians[target];
    const perRound = r.runs
      .filter((run) => run.target === target)
      .map((run) => run.requestsPerSecond.toLocaleString('en-US'))
      .join(' / ');
    const share = target === 'bare' ? '1' : String(target === 'live' ? r.liveRatio : target === 'list1k' ? r.listRatio.prospects1k : r.listRatio.prospects10k);
    const refused = r.runs.filter((run) => run.target === target).reduce((sum, run) => sum + run.errors, 0);
    return `| ${LABEL[target]} | ${m.requestsPerSecond.toLocaleString('en-US')} | ${perRound} | ${share} | ${m.p99Ms} | ${m.serverCpuMicrosPerRequest} | ${refused} |`;
  });
  return [
    '## HTTP speed (`npm run bench:http`)',
    '',
    `${r.measuredAt}. Node ${e.node}, ${e.cpu} (${e.cores} cores, shared by the load generator, the server under test and, for the listings, FerretDB).`,
    `Load average before the run: ${e.loadAverageBefore}${e.quiet ? '' : ' (**above 1: work ran shortly before or alongside, so the absolute figures may be low; the ratios compare runs under the same load**)'}.`,
    `The built service (\`node ${(e.nodeFlags as string[]).join(' ')} dist-bench/src/main.js\` as render.yaml starts it, NODE_ENV=production, LOG_REQUESTS off, command monitoring off) on its embedded default database, and a bare`,
    `node:http server answering a tiny JSON, each in its own process. Closed-loop load from the bench process over ${e.connections} keep-alive connections`,
    `(raw sockets), ${e.warmupSeconds} s warm-up then ${e.seconds} s measured per target; the four targets alternate, ${e.rounds} rounds in one run, each round`,
    `with a fresh service process and database (the same build's CPU per request varied about 2× from one start to the next on this machine). The listing is`,
    `authenticated (admin \`X-API-Key\`) and reads the 20 newest of a company's prospects (imported through the API before the run). CPU pinning: ${e.pinning}.`,
    '',
    '| target | req/s (median) | req/s per round | ÷ bare (median of rounds) | p99 ms (median) | server CPU µs/request | non-2xx (all rounds) |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Target: liveRatio ≥ ${r.target.liveRatio}: **${r.target.met ? 'met' : 'missed'}** (${r.liveRatio}).`,
    '',
    "- Server CPU: utime + stime of the serving process from `/proc` over the measured window, per request answered (FerretDB's own CPU not included;",
    '  for the listings, whatever else the process did over the window is divided among few requests, so it overstates their cost).',
    "- Non-2xx: 503 `TENANT_BUSY` when a listing waited longer than `TENANT_OP_WAIT_TIMEOUT_MS` (5 s) for the company's operation cap; by status in the JSON.",
    "- The listings are bound by the embedded FerretDB, where a sorted `find(...).limit(20)` scans and sorts the company's collection, and by the",
    '  per-company operation cap (`TENANT_MAX_CONCURRENT_OPS`); on MongoDB the same query is served by the `records_listing` index ({ c_name, tableSlug, updatedAt }).',
    '- Raw figures per round: `bench/results/http.json`.',
  ].join('\n');
}
