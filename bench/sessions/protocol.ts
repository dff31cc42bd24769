/** What the parent (`bench/sessions.bench.ts`) and each measured child process (`bench/sessions/run.ts`) exchange. */

/** `real`: every status change is written to the database; `skipped`: `SessionsRepository.update` is a no-op on the instance. */
export type Persistence = 'real' | 'skipped';

export interface RunOptions {
  label: string;
  sessions: number;
  companies: number;
  persistence: Persistence;
  /** Calls to `SessionManager.start` in flight at once (the manager's own admission queue still applies). */
  concurrency: number;
  /** Sessions started and removed before the baseline, so JIT, pools and per-company state are not charged to the run. */
  warmup: number;
  settleMs: number;
  /**
   * Serve `SessionsRepository.find` from memory (a record like the seeded one, built per call and not kept) instead of the
   * database: on FerretDB each lookup scans the collection up to the document, which makes 10,000 starts take minutes.
   */
  skipSessionReads?: boolean;
  uri: string;
  runId: string;
  /** Session counts, below `sessions`, at which to take an extra reading (for the marginal cost between two counts). */
  checkpoints?: number[];
  /** Heap snapshots at baseline and after (attribution only: taking them perturbs the readings). */
  snapshotDir?: string;
}

export interface MemoryReading {
  heapUsed: number;
  heapTotal: number;
  rss: number;
  external: number;
  arrayBuffers: number;
}

/** Bytes per session between two readings: heap in use, heap reserved by V8, resident set, memory outside the V8 heap. */
export interface PerSession {
  heapBytes: number;
  heapTotalBytes: number;
  rssBytes: number;
  externalBytes: number;
}

export interface Checkpoint {
  sessions: number;
  memory: MemoryReading;
}

export interface RunResult {
  label: string;
  sessions: number;
  companies: number;
  persistence: Persistence;
  /** Where `SessionsRepository.find` answered from (see `RunOptions.skipSessionReads`). */
  sessionReads: 'database' | 'memory';
  concurrency: number;
  warmup: number;
  settleMs: number;
  bootSeconds: number;
  /** From the first start call to the last WORKING transition (persisted, when persistence is real), checkpoint pauses excluded. */
  startSeconds: number;
  startsPerSecond: number;
  cpuMicrosPerStart: number;
  baseline: MemoryReading;
  after: MemoryReading;
  /** (after - baseline) / sessions. */
  perSession: PerSession;
  checkpoints: Checkpoint[];
  /** From the first checkpoint to the end: the cost of one more session once some are running, without one-off growth. */
  marginal?: PerSession & { fromSessions: number; toSessions: number };
  verified: { working: number; active: number; simulatorRunning: number; persistedWorking: number | null };
  snapshots?: { before: string; after: string };
}

export type ChildMessage = { type: 'result'; result: RunResult } | { type: 'progress'; text: string };
