import type { LocalHttp } from './http';
import { METRICS_TOKEN } from './service';

/** One scrape of `GET /metrics`: every sample, by metric name (`_bucket`, `_count` and `_sum` kept as their own names). */
export type Scrape = Map<string, Array<{ labels: Record<string, string>; value: number }>>;

/** The service's own names (issue 6); either may be absent from a build, and then its figure is null. */
export const DB_COMMANDS = 'vv_db_commands_total';
export const DERIVE_LAG = 'vv_ingest_derive_lag_seconds';

export async function scrape(http: LocalHttp): Promise<Scrape> {
  const answer = await http.send('GET', '/metrics', undefined, 10_000, { authorization: `Bearer ${METRICS_TOKEN}` });
  if (answer.status !== 200 || typeof answer.body !== 'string') throw new Error(`GET /metrics answered ${answer.status}`);
  return parse(answer.body);
}

export function parse(text: string): Scrape {
  const samples: Scrape = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]] = pair[2];
    const list = samples.get(match[1]) ?? [];
    list.push({ labels, value: Number(match[3]) });
    samples.set(match[1], list);
  }
  return samples;
}

/** A counter summed over all its labels, or null when the service does not export it. */
export function counterSum(scrape: Scrape, name: string): number | null {
  const series = scrape.get(name);
  return series ? series.reduce((sum, s) => sum + s.value, 0) : null;
}

/** A counter's increase between two scrapes, by the value of one label. */
export function counterDeltaBy(before: Scrape, after: Scrape, name: string, label: string): Record<string, number> {
  const total = (s: Scrape) => {
    const byLabel = new Map<string, number>();
    for (const { labels, value } of s.get(name) ?? []) byLabel.set(labels[label] ?? '', (byLabel.get(labels[label] ?? '') ?? 0) + value);
    return byLabel;
  };
  const [a, b] = [total(before), total(after)];
  const delta: Record<string, number> = {};
  for (const [key, value] of b) if (value - (a.get(key) ?? 0) > 0) delta[key] = value - (a.get(key) ?? 0);
  return delta;
}

/** Cumulative bucket counts of a histogram, summed over its labels; null when absent. */
function buckets(scrape: Scrape, name: string): Map<number, number> | null {
  const series = scrape.get(`${name}_bucket`);
  if (!series) return null;
  const byBound = new Map<number, number>();
  for (const { labels, value } of series) {
    const bound = labels.le === '+Inf' ? Infinity : Number(labels.le);
    byBound.set(bound, (byBound.get(bound) ?? 0) + value);
  }
  return byBound;
}

export interface HistogramEstimate {
  count: number;
  /** Seconds, interpolated inside the bucket; when the quantile falls in +Inf, the highest finite bound (a lower bound). */
  value: number | null;
  aboveLastBucket: boolean;
}

/** The q-quantile of what a histogram observed between two scrapes, estimated from its buckets like PromQL's histogram_quantile. */
export function quantileBetween(before: Scrape, after: Scrape, name: string, q: number): HistogramEstimate | null {
  const end = buckets(after, name);
  if (!end) return null;
  const start = buckets(before, name) ?? new Map<number, number>();
  const bounds = [...end.keys()].sort((a, b) => a - b);
  const cumulative = bounds.map((bound) => end.get(bound)! - (start.get(bound) ?? 0));
  const count = cumulative[cumulative.length - 1] ?? 0;
  if (count === 0) return { count: 0, value: null, aboveLastBucket: false };
  const rank = q * count;
  const index = cumulative.findIndex((c) => c >= rank);
  if (bounds[index] === Infinity) return { count, value: bounds[index - 1] ?? null, aboveLastBucket: true };
  const lower = index === 0 ? 0 : bounds[index - 1];
  const below = index === 0 ? 0 : cumulative[index - 1];
  const inBucket = cumulative[index] - below;
  const value = inBucket > 0 ? lower + ((bounds[index] - lower) * (rank - below)) / inBucket : bounds[index];
  return { count, value, aboveLastBucket: false };
}
