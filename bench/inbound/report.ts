import type { Environment } from '../report';
import type { Phase } from './options';
import type { RunFigures } from './figures';

/** From issue 6. */
export const TARGETS = {
  sustainedFresh: 300,
  sustainedAfter50k: 100,
  p99Ms: 1_000,
  persistedShareOfOffered: 0.95,
  cpuMicrosPerMessage: 250,
  commandsPerMessage: 0.5,
  rssGrowthMB: 100,
  rssGrowthAtMsgPerSec: 1_000,
};

export type InboundEnvironment = Pick<Environment, 'server' | 'serverOrigin' | 'node' | 'cpu' | 'cores' | 'date' | 'command'> & {
  rates: number[];
  seconds: number;
  seedMessages: number;
  messagesPerRequest: number;
  sessions: number;
  messagesPerChat: number;
  seedMessagesPerChat: number;
  textBytes: number;
  drainSeconds: number;
  warmupMessages: number;
  /** Where the runs' database directories were (the filesystem matters to SQLite). */
  dataDirRoot: string;
  /** Service settings passed on from the bench's environment (defaults otherwise). */
  serviceSettings: Record<string, string>;
  /** The node flags of render.yaml's start command, which the service ran with. */
  nodeFlags: string[];
};

export interface PhaseSummary {
  /** The highest offered rate whose p99 ≤ 1 s and which persisted ≥ 95% of it; null when none did. */
  sustainedMsgPerSec: number | null;
  p99MsAt100: number | null;
  /** The rate the CPU and command figures come from: the highest sustained one, else 100 (else the lowest run). */
  figuresAtMsgPerSec: number;
  cpuMicrosPerMessage: number | null;
  cpuMicrosPerMessageNetOfIdle: number | null;
  ferretCpuMicrosPerMessage: number | null;
  commandsPerMessage: number | null;
  peakRssMB: number;
  /** Peak RSS growth during the highest-rate run, and that rate. */
  peakRssGrowthMB: number;
  peakRssGrowthAtMsgPerSec: number;
  refusals: number;
}

export type InboundResults = Partial<PhaseSummary> & {
  after50k: PhaseSummary | null;
  targets: Record<string, { target: number; measured: number | null; met: boolean }>;
  runs: RunFigures[];
  environment: InboundEnvironment;
};

export function isSustained(run: RunFigures): boolean {
  return run.p99Ms !== null && run.p99Ms <= TARGETS.p99Ms && run.persistedMsgPerSec >= TARGETS.persistedShareOfOffered * run.offeredMsgPerSec;
}

export function summarise(runs: RunFigures[]): PhaseSummary | null {
  if (runs.length === 0) return null;
  const byRate = [...runs].sort((a, b) => a.offeredMsgPerSec - b.offeredMsgPerSec);
  const sustained = byRate.filter(isSustained).pop();
  const at100 = byRate.find((r) => r.offeredMsgPerSec === 100);
  const figures = sustained ?? at100 ?? byRate[0];
  const top = byRate[byRate.length - 1];
  return {
    sustainedMsgPerSec: sustained?.offeredMsgPerSec ?? null,
    p99MsAt100: at100?.p99Ms ?? null,
    figuresAtMsgPerSec: figures.offeredMsgPerSec,
    cpuMicrosPerMessage: figures.cpuMicrosPerMessage,
    cpuMicrosPerMessageNetOfIdle: figures.cpuMicrosPerMessageNetOfIdle,
    ferretCpuMicrosPerMessage: figures.ferretCpuMicrosPerMessage,
    commandsPerMessage: figures.commandsPerMessage,
    peakRssMB: Math.max(...runs.map((r) => r.peakRssMB)),
    peakRssGrowthMB: top.peakRssGrowthMB,
    peakRssGrowthAtMsgPerSec: top.offeredMsgPerSec,
    refusals: runs.reduce((sum, r) => sum + r.refusals, 0),
  };
}

export function buildResults(runs: RunFigures[], environment: InboundEnvironment): InboundResults {
  const phase = (name: Phase) => summarise(runs.filter((r) => r.phase === name));
  const [fresh, seeded] = [phase('fresh'), phase('after50k')];
  const atMost = (measured: number | null | undefined, target: number) => ({ target, measured: measured ?? null, met: measured != null && measured <= target });
  const atLeast = (measured: number | null | undefined, target: number) => ({
    target,
    measured: measured ?? null,
    met: measured != null && measured >= target,
  });
  const worst = (pick: (s: PhaseSummary) => number | null) => {
    const values = [fresh, seeded].filter((s) => s !== null).map(pick);
    return values.some((v) => v === null) || values.length === 0 ? null : Math.max(...(values as number[]));
  };
  const rssRun = runs.filter((r) => r.offeredMsgPerSec === TARGETS.rssGrowthAtMsgPerSec);
  return {
    ...(fresh ?? {}),
    after50k: seeded,
    targets: {
      sustainedFreshMsgPerSec: atLeast(fresh?.sustainedMsgPerSec, TARGETS.sustainedFresh),
      sustainedAfter50kMsgPerSec: atLeast(seeded?.sustainedMsgPerSec, TARGETS.sustainedAfter50k),
      cpuMicrosPerMessage: atMost(
        worst((s) => s.cpuMicrosPerMessage),
        TARGETS.cpuMicrosPerMessage,
      ),
      commandsPerMessage: atMost(
        worst((s) => s.commandsPerMessage),
        TARGETS.commandsPerMessage,
      ),
      peakRssGrowthMBAt1000: atMost(rssRun.length === 0 ? null : Math.max(...rssRun.map((r) => r.peakRssGrowthMB)), TARGETS.rssGrowthMB),
    },
    runs,
    environment,
  };
}
