import type { LoadOutcome } from './load';
import { counterDeltaBy, counterSum, DB_COMMANDS, DERIVE_LAG, quantileBetween, type Scrape } from './metrics';
import type { Phase } from './options';

const MB = 1024 * 1024;

export interface RunFigures {
  phase: Phase;
  storedBefore: number;
  offeredMsgPerSec: number;
  seconds: number;
  messagesPerRequest: number;
  sessions: number;
  chatsPerSession: number;
  offered: number;
  persisted: number;
  /** Persisted (acknowledged) within the offered window, per second of it. */
  persistedMsgPerSec: number;
  persistedShare: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  deriveLagP99Ms: number | null;
  deriveLagAboveLastBucket: boolean;
  cpuMicrosPerMessage: number | null;
  /** The same less what the idle service used over as long (sessions, leases, outbound polling, watermarks). */
  cpuMicrosPerMessageNetOfIdle: number | null;
  ferretCpuMicrosPerMessage: number | null;
  /** Cores the service used on average over the measured window (CPU time / wall time). */
  serviceCores: number;
  ferretCores: number | null;
  /** Cores this bench process (the load generator) used over the same window: it shares the machine. */
  generatorCores: number;
  commandsPerMessage: number | null;
  commands: Record<string, number>;
  idle: {
    seconds: number;
    cpuMicrosPerSecond: number;
    ferretCpuMicrosPerSecond: number | null;
    commandsPerSecond: number | null;
    commands: Record<string, number>;
  };
  peakRssMB: number;
  rssStartMB: number;
  rssEndMB: number;
  peakRssGrowthMB: number;
  ferretPeakRssMB: number | null;
  refusals: number;
  refusedMessages: number;
  refusalCodes: Record<string, number>;
  maxRetryAfterSeconds: number;
  stored: number;
  duplicate: number;
  rejected: number;
  rejectedReasons: Record<string, number>;
  legacyAcks: number;
  unfinished: number;
  errors: Record<string, number>;
  maxSendLagMs: number;
  /** From the first send until the service was quiet again (CPU and commands are counted over this window). */
  measuredSeconds: number;
  settledQuietly: boolean;
  /** Messages in the database after the run, and whether that equals what was there plus what was acknowledged as stored. */
  dbMessages: number;
  dbMatchesAcks: boolean;
  gracefulStop: boolean;
  server: string;
}

/** A reading of the service at one instant: its metrics, the CPU time of the service and of its FerretDB (µs), when (ms). */
export interface Reading {
  scrape: Scrape;
  cpu: number;
  ferret: number | null;
  at: number;
}

/** What one run recorded; `toFigures` turns it into the reported figures. */
export interface Readings {
  phase: Phase;
  storedBefore: number;
  rate: number;
  seconds: number;
  messagesPerRequest: number;
  sessions: number;
  chatsPerSession: number;
  warmupStored: number;
  idleBefore: Reading;
  idleAfter: Reading;
  before: Reading;
  after: Reading;
  generatorMicros: number;
  rss: { start: number; peak: number; end: number; ferretPeak: number | null };
  outcome: LoadOutcome;
  settledQuietly: boolean;
  database: { server: string; messages: number };
  gracefulStop: boolean;
}

export function toFigures(r: Readings): RunFigures {
  const { outcome, before, after, idleBefore, idleAfter } = r;
  const measuredSeconds = (after.at - before.at) / 1000;
  const idleSeconds = (idleAfter.at - idleBefore.at) / 1000;
  const perMessage = (value: number | null, digits = 1) => (value === null || outcome.persisted === 0 ? null : round(value / outcome.persisted, digits));
  const ferret = (a: Reading, b: Reading) => (a.ferret === null || b.ferret === null ? null : b.ferret - a.ferret);
  const commands = delta(before.scrape, after.scrape, DB_COMMANDS);
  const idleCommands = delta(idleBefore.scrape, idleAfter.scrape, DB_COMMANDS);
  const idleFerret = ferret(idleBefore, idleAfter);
  const lag = quantileBetween(before.scrape, after.scrape, DERIVE_LAG, 0.99);
  const serviceCpu = after.cpu - before.cpu;
  const idleRate = (idleAfter.cpu - idleBefore.cpu) / idleSeconds;
  const runFerret = ferret(before, after);
  return {
    phase: r.phase,
    storedBefore: r.storedBefore,
    offeredMsgPerSec: r.rate,
    seconds: r.seconds,
    messagesPerRequest: r.messagesPerRequest,
    sessions: r.sessions,
    chatsPerSession: r.chatsPerSession,
    offered: outcome.offered,
    persisted: outcome.persisted,
    persistedMsgPerSec: round(outcome.persistedInWindow / r.seconds, 1),
    persistedShare: round(outcome.persisted / outcome.offered, 4),
    ...percentiles(outcome.latencyMs),
    deriveLagP99Ms: lag?.value == null ? null : round(lag.value * 1000, 1),
    deriveLagAboveLastBucket: lag?.aboveLastBucket ?? false,
    cpuMicrosPerMessage: perMessage(serviceCpu),
    cpuMicrosPerMessageNetOfIdle: perMessage(serviceCpu - idleRate * measuredSeconds),
    ferretCpuMicrosPerMessage: perMessage(runFerret),
    serviceCores: round(serviceCpu / (measuredSeconds * 1e6), 3),
    ferretCores: runFerret === null ? null : round(runFerret / (measuredSeconds * 1e6), 3),
    generatorCores: round(r.generatorMicros / (measuredSeconds * 1e6), 3),
    commandsPerMessage: perMessage(commands, 3),
    commands: counterDeltaBy(before.scrape, after.scrape, DB_COMMANDS, 'command'),
    idle: {
      seconds: round(idleSeconds, 2),
      cpuMicrosPerSecond: round(idleRate, 0),
      ferretCpuMicrosPerSecond: idleFerret === null ? null : round(idleFerret / idleSeconds, 0),
      commandsPerSecond: idleCommands === null ? null : round(idleCommands / idleSeconds, 2),
      commands: counterDeltaBy(idleBefore.scrape, idleAfter.scrape, DB_COMMANDS, 'command'),
    },
    peakRssMB: round(r.rss.peak / MB, 1),
    rssStartMB: round(r.rss.start / MB, 1),
    rssEndMB: round(r.rss.end / MB, 1),
    peakRssGrowthMB: round((r.rss.peak - r.rss.start) / MB, 1),
    ferretPeakRssMB: r.rss.ferretPeak === null ? null : round(r.rss.ferretPeak / MB, 1),
    refusals: outcome.refusals,
    refusedMessages: outcome.refusedMessages,
    refusalCodes: outcome.refusalCodes,
    maxRetryAfterSeconds: outcome.maxRetryAfterSeconds,
    stored: outcome.stored,
    duplicate: outcome.duplicate,
    rejected: outcome.rejected,
    rejectedReasons: outcome.rejectedReasons,
    legacyAcks: outcome.legacyAcks,
    unfinished: outcome.unfinished,
    errors: outcome.errors,
    maxSendLagMs: round(outcome.maxSendLagMs, 1),
    measuredSeconds: round(measuredSeconds, 2),
    settledQuietly: r.settledQuietly,
    dbMessages: r.database.messages,
    dbMatchesAcks: r.database.messages === r.storedBefore + r.warmupStored + outcome.stored + outcome.legacyAcks,
    gracefulStop: r.gracefulStop,
    server: r.database.server,
  };
}

function delta(before: Scrape, after: Scrape, name: string): number | null {
  const [a, b] = [counterSum(before, name), counterSum(after, name)];
  return a === null && b === null ? null : (b ?? 0) - (a ?? 0);
}

/** Over every offered message; one that never got its 200 counts as slower than all (p99 is then null if more than 1% did not). */
export function percentiles(latencyMs: Float64Array): { p50Ms: number | null; p99Ms: number | null; maxMs: number | null } {
  const sorted = Float64Array.from(latencyMs).sort();
  const at = (q: number) => {
    const value = sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    return Number.isFinite(value) ? round(value, 1) : null;
  };
  return { p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1) };
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
