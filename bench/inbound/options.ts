import { tmpdir } from 'node:os';
import { resolve } from 'node:path';

export type Phase = 'fresh' | 'after50k';

/** What one `npm run bench:inbound` measures; every field can be overridden (flag, then environment variable). */
export interface BenchOptions {
  /** Offered rates, msg/s, each run for `seconds` on a fresh database and again after `seedMessages`. */
  rates: number[];
  seconds: number;
  seedMessages: number;
  /** Messages per request (a WhatsApp notification burst); requests go round-robin over the sessions. */
  messagesPerRequest: number;
  sessionsPerCompany: number;
  /** Messages each chat receives over one run. */
  messagesPerChat: number;
  /**
   * Messages per chat in the 50k seed. It sets how many chats and prospects exist before the after-50k runs; on the
   * embedded server every chat or prospect update scans its collection, so a seed of 2,500 chats takes minutes to derive.
   */
  seedMessagesPerChat: number;
  /** After the offered window, how long refused or slow messages may still finish. */
  drainSeconds: number;
  warmupMessages: number;
  /** Where the per-run database directories go (the service's embedded default lives on disk, so does this). */
  tmpRoot: string;
  /** `fresh`, `after50k` (after `seedMessages`) or both. */
  phases: Phase[];
}

const FLAGS: Record<string, string> = {
  rates: 'BENCH_INBOUND_RATES',
  seconds: 'BENCH_INBOUND_SECONDS',
  seed: 'BENCH_INBOUND_SEED',
  batch: 'BENCH_INBOUND_BATCH',
  'sessions-per-company': 'BENCH_INBOUND_SESSIONS_PER_COMPANY',
  'per-chat': 'BENCH_INBOUND_PER_CHAT',
  'seed-per-chat': 'BENCH_INBOUND_SEED_PER_CHAT',
  drain: 'BENCH_INBOUND_DRAIN_SECONDS',
  warmup: 'BENCH_INBOUND_WARMUP',
  tmp: 'BENCH_INBOUND_TMPDIR',
  phases: 'BENCH_INBOUND_PHASES',
};

/** `--seconds 5 --rates 100,300 --seed 2000` or the BENCH_INBOUND_* variables; flags win. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const given = new Map<string, string>();
  for (const [flag, name] of Object.entries(FLAGS)) if (env[name]) given.set(flag, env[name]);
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i].replace(/^--/, '');
    if (!argv[i].startsWith('--') || !(flag in FLAGS))
      throw new Error(
        `unknown argument ${argv[i]}; flags: ${Object.keys(FLAGS)
          .map((f) => `--${f}`)
          .join(' ')}`,
      );
    const value = argv[++i];
    if (value === undefined) throw new Error(`--${flag} needs a value`);
    given.set(flag, value);
  }
  const number = (flag: string, fallback: number, min = 1) => {
    const raw = given.get(flag);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min) throw new Error(`--${flag} must be a number >= ${min}, got "${raw}"`);
    return value;
  };
  const rates = (given.get('rates') ?? '100,300,1000').split(',').map((r) => Number(r.trim()));
  if (rates.some((r) => !Number.isFinite(r) || r <= 0)) throw new Error(`--rates must be positive numbers, got "${given.get('rates')}"`);
  const phases = (given.get('phases') ?? 'fresh,after50k').split(',').map((p) => p.trim());
  if (phases.some((p) => p !== 'fresh' && p !== 'after50k')) throw new Error('--phases takes fresh, after50k or both');
  return {
    rates: [...new Set(rates)].sort((a, b) => a - b),
    seconds: number('seconds', 30),
    seedMessages: Math.round(number('seed', 50_000, 0)),
    messagesPerRequest: Math.round(number('batch', 5)),
    sessionsPerCompany: Math.round(number('sessions-per-company', 5)),
    messagesPerChat: Math.round(number('per-chat', 20)),
    seedMessagesPerChat: Math.round(number('seed-per-chat', 200)),
    drainSeconds: number('drain', 15, 0),
    warmupMessages: Math.round(number('warmup', 500, 0)),
    tmpRoot: resolve(given.get('tmp') ?? tmpdir()),
    phases: phases as Phase[],
  };
}

/** The command line that reproduces a run, for the report. */
export function commandLine(argv: string[]): string {
  const env = Object.values(FLAGS)
    .filter((name) => process.env[name])
    .map((name) => `${name}=${process.env[name]}`);
  const run = process.env.npm_lifecycle_event === 'bench:inbound' ? 'npm run bench:inbound' : 'node dist-bench/bench/inbound.bench.js';
  const args = argv.length > 0 ? `${process.env.npm_lifecycle_event === 'bench:inbound' ? ' --' : ''} ${argv.join(' ')}` : '';
  return `${[...env, run].join(' ')}${args}`;
}
