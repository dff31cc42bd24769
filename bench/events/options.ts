import { tmpdir } from 'node:os';

/** What one `npm run bench:events` measures; flags override the defaults. */
export interface EventsBenchOptions {
  /** Offered inbound rate (msg/s) while webhook latency is measured, and for how long. */
  rate: number;
  seconds: number;
  sessionsPerCompany: number;
  /** Messages per company stored while the receiver fails; their delivery afterwards gives deliveries per second. */
  backlogPerCompany: number;
  tmpRoot: string;
}

const DEFAULTS: EventsBenchOptions = { rate: 100, seconds: 30, sessionsPerCompany: 5, backlogPerCompany: 1_500, tmpRoot: tmpdir() };
const FLAGS: Record<string, keyof EventsBenchOptions> = {
  rate: 'rate',
  seconds: 'seconds',
  'sessions-per-company': 'sessionsPerCompany',
  backlog: 'backlogPerCompany',
  tmp: 'tmpRoot',
};

/** `--rate 100 --seconds 30 --backlog 1500 --tmp /dev/shm`. */
export function parseEventsOptions(argv: string[]): EventsBenchOptions {
  const options = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i += 2) {
    const key = FLAGS[argv[i].replace(/^--/, '')];
    const value = argv[i + 1];
    if (!key || value === undefined)
      throw new Error(
        `unknown or incomplete argument ${argv[i]}; flags: ${Object.keys(FLAGS)
          .map((f) => `--${f}`)
          .join(' ')}`,
      );
    if (key === 'tmpRoot') options.tmpRoot = value;
    else {
      const number = Number(value);
      if (!Number.isFinite(number) || number < 1) throw new Error(`--${argv[i]} must be a number >= 1`);
      options[key] = number;
    }
  }
  return options;
}
