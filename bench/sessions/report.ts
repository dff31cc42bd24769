import type { Attribution } from './heap-attribution';
import type { PerSession, Persistence, RunResult } from './protocol';

/** From the issue: our own overhead per idle session, heap. */
export const TARGET_HEAP_BYTES_PER_SESSION = 64 * 1024;

export interface SessionsEnvironment {
  server: string;
  serverOrigin: string;
  node: string;
  cpu: string;
  cores: number;
  date: string;
  command: string;
}

export interface SessionsInput {
  real1k: RunResult;
  run10k: RunResult;
  /** The 1,000 run's start phase × 10: a lower bound for 10,000 starts with every write (on FerretDB the cost per write grows with N). */
  projectedReal10kSeconds: number;
  attribution: Attribution | null;
  environment: SessionsEnvironment;
}

export interface SessionsResults extends SessionsEnvironment {
  /** Heap bytes per idle WORKING session, 1,000 sessions, every status change written to the database. */
  bytesPerSession1k: number;
  /** Heap bytes per idle WORKING session, 10,000 sessions (see `persistence10k`). */
  bytesPerSession10k: number;
  rssBytesPerSession1k: number;
  rssBytesPerSession10k: number;
  /** Heap bytes per session for sessions 1,001 to 10,000 of the 10k run: one-off growth (JIT code, caches) excluded. */
  marginalBytesPerSession1kTo10k: number | null;
  marginalRssBytesPerSession1kTo10k: number | null;
  sessions1k: number;
  sessions10k: number;
  persistence1k: Persistence;
  persistence10k: Persistence;
  persistence10kNote: string;
  persistence10kDetail: string | null;
  projectedReal10kSeconds: number;
  target: { heapBytesPerSession: number; measured: number; met: boolean };
  /** Part 2 (`bench/sessions/chromium-bench.ts`) fills these in; kept when this part is rerun after it. */
  chromiumPeak: number | null;
  chromiumAfter: number | null;
  chromiumMBPerClient: number | null;
  chromiumNote?: string;
  chromium?: unknown;
  method: string[];
  runs: { real1k: RunResult; run10k: RunResult };
  /** The 10k run's reading at 1,000 sessions: the same count as `real1k`, with the 10k run's persistence. */
  run10kAt1k: (PerSession & { sessions: number; persistence: Persistence }) | null;
  attribution: Attribution | null;
}

export function buildResults(input: SessionsInput): SessionsResults {
  const { real1k, run10k, attribution, environment } = input;
  const worst = Math.max(real1k.perSession.heapBytes, run10k.perSession.heapBytes);
  const at1k = run10k.checkpoints.find((checkpoint) => checkpoint.sessions === 1_000);
  return {
    bytesPerSession1k: real1k.perSession.heapBytes,
    bytesPerSession10k: run10k.perSession.heapBytes,
    rssBytesPerSession1k: real1k.perSession.rssBytes,
    rssBytesPerSession10k: run10k.perSession.rssBytes,
    marginalBytesPerSession1kTo10k: run10k.marginal?.heapBytes ?? null,
    marginalRssBytesPerSession1kTo10k: run10k.marginal?.rssBytes ?? null,
    sessions1k: real1k.sessions,
    sessions10k: run10k.sessions,
    persistence1k: real1k.persistence,
    persistence10k: run10k.persistence,
    persistence10kNote: run10k.persistence === 'skipped' ? 'persistence writes skipped; in-memory cost only' : 'every status change written to the database',
    persistence10kDetail:
      run10k.persistence === 'skipped'
        ? '`SessionsRepository.update` was replaced by a no-op on the instance' +
          (run10k.sessionReads === 'memory' ? ', and `SessionsRepository.find` by a function building the seeded record (kept by nothing)' : '') +
          `. 10,000 starts through the database would take far more than ${input.projectedReal10kSeconds} s (the 1,000 run's start phase × 10,` +
          " a lower bound: on FerretDB's SQLite backend every lookup by `_id` scans the collection up to the document)."
        : null,
    projectedReal10kSeconds: input.projectedReal10kSeconds,
    target: { heapBytesPerSession: TARGET_HEAP_BYTES_PER_SESSION, measured: worst, met: worst <= TARGET_HEAP_BYTES_PER_SESSION },
    chromiumPeak: null,
    chromiumAfter: null,
    chromiumMBPerClient: null,
    chromiumNote: 'Part 2 (Chromium, real whatsapp-web clients) is measured separately; these fields are filled in by hand.',
    method: method(real1k),
    runs: { real1k, run10k },
    run10kAt1k: at1k ? { sessions: at1k.sessions, persistence: run10k.persistence, ...perSession(run10k.baseline, at1k.memory, at1k.sessions) } : null,
    attribution,
    ...environment,
  };
}

function perSession(from: RunResult['baseline'], to: RunResult['baseline'], sessions: number): PerSession {
  const per = (field: keyof RunResult['baseline']) => Math.round((to[field] - from[field]) / sessions);
  return { heapBytes: per('heapUsed'), heapTotalBytes: per('heapTotal'), rssBytes: per('rss'), externalBytes: per('external') };
}

function method(run: RunResult): string[] {
  return [
    'Each run is a fresh `node --expose-gc --no-flush-bytecode` process booting the real application context (`NestFactory.createApplicationContext(AppModule)`) with `SESSIONS_PROVIDER_OVERRIDE=simulator` on fresh control and tenant databases. Bytecode flushing is off because V8 otherwise drops the bytecode of functions unused for 6 GCs (boot code, mostly), which shrank the heap by more than 10,000 sessions add.',
    `Sessions are spread round-robin over ${run.companies} companies (provider whatsapp-web, registered through \`CompaniesService.create\`; their tenant migrations are not run: sessions use none of those collections, and on FerretDB the outbound worker's polls of migrated outboxes, which every WORKING transition kicks, made the starts markedly slower in trials); the session documents and the simulator's auth entries are written with one \`insertMany\` per collection, so every start goes straight to ready without a QR.`,
    '`SESSIONS_MAX_WHATSAPP_WEB` is capped at 1,000 by the environment schema, so after boot the run raises `maxWhatsappWeb` to 20,000 on the sessions config object the manager reads; `SESSIONS_MAX_ACTIVE` and `SESSIONS_MAX_PER_COMPANY` are 20,000 through the environment.',
    'The runs (1,000 with every write, 10,000, and the heap-snapshot attribution) are separate processes running at the same time against the same server, each on databases of its own: a heap reading is per process, so this only slows the starts down (the start rates are not comparable with a run alone).',
    `Before the baseline, ${run.warmup} sessions are started and removed, so JIT, the connection pool, per-company gates and Mongoose database handles are not charged to the run (only partly: see the attribution).`,
    `Starts go through \`SessionManager.start\`, ${run.concurrency} calls in flight (the manager's own admission queue, \`SESSION_START_CONCURRENCY\`, still applies); the same \`CompanyRecord\` object is passed for every session of a company, as \`CompaniesService\`'s cache hands it out within its 30 s TTL.`,
    'The run waits for N WORKING transitions (emitted after the write), then checks that the manager holds N WORKING and N active sessions, the simulator N clients and, with real writes, the control database N WORKING session documents.',
    `Memory: ${run.settleMs} ms idle, then \`gc()\` three times with event-loop turns between, then \`process.memoryUsage()\`; once for the baseline (app booted, warmed up, sessions seeded but not started) and once with every session WORKING and idle. Per session = (after - baseline) / N.`,
    "The simulator client stands in for a provider client: its own objects (the client, its entries in the adapter's live map and linked set) are included, so the figure slightly overstates our overhead and contains nothing of a real provider library.",
  ];
}

/** Keeps part 2's Chromium figures from an existing results file, so rerunning this part alone does not erase them. */
export function keepChromium(results: SessionsResults, existing: Partial<SessionsResults> | undefined): SessionsResults {
  if (!existing?.chromium) return results;
  const { chromiumNote, ...rest } = results;
  void chromiumNote;
  const { chromiumPeak = null, chromiumAfter = null, chromiumMBPerClient = null, chromium } = existing;
  return { ...rest, chromiumPeak, chromiumAfter, chromiumMBPerClient, chromium };
}
