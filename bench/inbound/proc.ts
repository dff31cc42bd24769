import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = clockTicks();

/** utime + stime of one process (not its children), in microseconds; null once it has exited. */
export function cpuMicros(pid: number): number | null {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return null;
  // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1e6;
}

/** Resident set size in bytes; null once the process has exited. */
export function rssBytes(pid: number): number | null {
  const match = /VmRSS:\s+(\d+) kB/.exec(read(`/proc/${pid}/status`) ?? '');
  return match ? Number(match[1]) * 1024 : null;
}

/** The direct children of `pid` whose executable name contains `name` (e.g. the FerretDB the service started). */
export function childPids(pid: number, name: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    if (!stat) continue;
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parent === pid && command.includes(name)) found.push(Number(entry));
  }
  return found;
}

/** Processes whose command line contains `needle` (e.g. the FerretDB over one of our data directories, orphaned by a crash). */
export function pidsWithArgument(needle: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => (read(`/proc/${entry}/cmdline`) ?? '').split('\0').includes(needle))
    .map(Number);
}

/** Running or sleeping, not gone and not a zombie. */
export function isAlive(pid: number): boolean {
  const stat = read(`/proc/${pid}/stat`);
  return stat !== null && !/\) [ZX] /.test(stat);
}

/** Samples the resident set of some processes every `intervalMs`, keeping the peak and the last reading of each. */
export class RssSampler {
  private readonly peak = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly pids: number[],
    private readonly intervalMs = 200,
  ) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    return this;
  }

  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }

  peakOf(pid: number): number | null {
    return this.peak.get(pid) ?? null;
  }

  lastOf(pid: number): number | null {
    return this.last.get(pid) ?? null;
  }

  private sample(): void {
    for (const pid of this.pids) {
      const rss = rssBytes(pid);
      if (rss === null) continue;
      this.last.set(pid, rss);
      this.peak.set(pid, Math.max(rss, this.peak.get(pid) ?? 0));
    }
  }
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function clockTicks(): number {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
}

/**
 * The share of one core that counts as quiet for processes that use `idleShare` of one when nothing happens:
 * a little above that. Waiting for a fixed 5% failed here once the service's idle timers cost more than that.
 */
export function quietShareAbove(idleShare: number): number {
  return Math.max(0.05, idleShare * 1.5 + 0.02);
}

/** The share of one core the processes use together over `windowMs`. */
export async function cpuShare(pids: number[], windowMs: number): Promise<number> {
  const total = () => pids.reduce((sum, pid) => sum + (cpuMicros(pid) ?? 0), 0);
  const before = total();
  await new Promise((done) => setTimeout(done, windowMs));
  return (total() - before) / (windowMs * 1000);
}

/**
 * Resolves once the processes together used less than `share` of one core over `windowMs` (derived updates and
 * batch flushes done), or after `timeoutMs`; tells which.
 */
export async function waitForQuiet(pids: number[], timeoutMs: number, windowMs = 500, share = 0.05): Promise<{ quiet: boolean; waitedMs: number }> {
  const started = Date.now();
  const total = () => pids.reduce((sum, pid) => sum + (cpuMicros(pid) ?? 0), 0);
  let before = total();
  while (Date.now() - started < timeoutMs) {
    await new Promise((done) => setTimeout(done, windowMs));
    const now = total();
    if (now - before < share * windowMs * 1000) return { quiet: true, waitedMs: Date.now() - started };
    before = now;
  }
  return { quiet: false, waitedMs: Date.now() - started };
}
