export const HISTORY_MINUTES = 60;
const MINUTE_MS = 60_000;

/** Process-wide gauges of one sample. */
export interface ProcessSample {
  rssMB: number;
  heapUsedMB: number;
  cpuPercent: number;
  loopDelayP99Ms: number;
}

interface MinutePoint {
  /** Start of the minute, epoch ms. */
  minute: number;
  received: Map<string, number>;
  sent: Map<string, number>;
  process?: ProcessSample;
  /** Messages waiting (ingest, outbox, webhooks) per company, as last sampled in the minute. */
  queued?: Map<string, number>;
}

/** Column-wise series for charts (uPlot's layout): one entry per minute, oldest first; null where nothing was sampled. */
export interface HistorySeries {
  minutes: number[];
  received: number[];
  sent: number[];
  rssMB: Array<number | null>;
  heapUsedMB: Array<number | null>;
  cpuPercent: Array<number | null>;
  loopDelayP99Ms: Array<number | null>;
  queueDepth: Array<number | null>;
}

export interface MessageRates {
  /** Sliding estimate over the last 60 s: this minute's count plus the unexpired share of the previous minute's. */
  receivedPerMinute: number;
  sentPerMinute: number;
  receivedLastHour: number;
  sentLastHour: number;
}

/**
 * The last hour, one point per wall-clock minute: messages received and sent per company (counted as they
 * happen) and the sampled gauges. Bounded: points older than an hour are dropped as minutes go by.
 */
export class MinuteHistory {
  private readonly points: MinutePoint[] = [];

  count(direction: 'received' | 'sent', company: string, n: number, now = Date.now()): void {
    const point = this.pointAt(now);
    point[direction].set(company, (point[direction].get(company) ?? 0) + n);
  }

  /** A sample's process gauges replace the minute's, except loop delay, whose worst sample is kept. */
  sample(process: ProcessSample, queued: Map<string, number>, now = Date.now()): void {
    const point = this.pointAt(now);
    const worstDelay = Math.max(process.loopDelayP99Ms, point.process?.loopDelayP99Ms ?? 0);
    point.process = { ...process, loopDelayP99Ms: worstDelay };
    point.queued = queued;
  }

  /** The last `minutes` minutes up to the current one; `companies` limits message counts and queues (undefined: all). */
  series(minutes: number, companies: ReadonlySet<string> | undefined, now = Date.now()): HistorySeries {
    const current = startOf(now);
    const first = current - (Math.min(minutes, HISTORY_MINUTES) - 1) * MINUTE_MS;
    const byMinute = new Map(this.points.map((point) => [point.minute, point]));
    const oldest = this.points.find((point) => point.minute >= first)?.minute ?? current;
    const series: HistorySeries = { minutes: [], received: [], sent: [], rssMB: [], heapUsedMB: [], cpuPercent: [], loopDelayP99Ms: [], queueDepth: [] };
    for (let minute = oldest; minute <= current; minute += MINUTE_MS) {
      const point = byMinute.get(minute);
      series.minutes.push(minute);
      series.received.push(sum(point?.received, companies));
      series.sent.push(sum(point?.sent, companies));
      series.rssMB.push(point?.process?.rssMB ?? null);
      series.heapUsedMB.push(point?.process?.heapUsedMB ?? null);
      series.cpuPercent.push(point?.process?.cpuPercent ?? null);
      series.loopDelayP99Ms.push(point?.process?.loopDelayP99Ms ?? null);
      series.queueDepth.push(point?.queued ? sum(point.queued, companies) : null);
    }
    return series;
  }

  rates(company: string, now = Date.now()): MessageRates {
    this.expire(now);
    const current = startOf(now);
    const at = (minute: number) => this.points.find((point) => point.minute === minute);
    const previousShare = 1 - (now - current) / MINUTE_MS;
    const perMinute = (direction: 'received' | 'sent') =>
      round((at(current)?.[direction].get(company) ?? 0) + (at(current - MINUTE_MS)?.[direction].get(company) ?? 0) * previousShare);
    const lastHour = (direction: 'received' | 'sent') => this.points.reduce((total, point) => total + (point[direction].get(company) ?? 0), 0);
    return {
      receivedPerMinute: perMinute('received'),
      sentPerMinute: perMinute('sent'),
      receivedLastHour: lastHour('received'),
      sentLastHour: lastHour('sent'),
    };
  }

  private pointAt(now: number): MinutePoint {
    const minute = startOf(now);
    const last = this.points.at(-1);
    if (last && last.minute === minute) return last;
    // A clock that stepped back writes into the latest minute rather than reordering the ring.
    if (last && last.minute > minute) return last;
    const point: MinutePoint = { minute, received: new Map(), sent: new Map() };
    this.points.push(point);
    this.expire(now);
    return point;
  }

  private expire(now: number): void {
    const first = startOf(now) - (HISTORY_MINUTES - 1) * MINUTE_MS;
    while (this.points.length > 0 && this.points[0].minute < first) this.points.shift();
  }
}

function startOf(time: number): number {
  return time - (time % MINUTE_MS);
}

function sum(values: Map<string, number> | undefined, companies: ReadonlySet<string> | undefined): number {
  let total = 0;
  for (const [company, n] of values ?? []) if (!companies || companies.has(company)) total += n;
  return total;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
