import type { ProspectUpsert } from '../src/prospects/prospect';
import { toE164 } from '../src/prospects/phone-number';

export interface Workload {
  upserts: ProspectUpsert[];
  distinct: number;
}

/** mulberry32: tiny, seedable, and identical on every machine, so every run writes the same data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `records` upserts over `distinct` Mexican mobiles: each number at least once, the rest repeats, arrival order shuffled. */
export function buildWorkload(records: number, distinct: number, seed = 20240601): Workload {
  if (distinct < 1 || distinct > records) throw new Error(`need 1 <= distinct (${distinct}) <= records (${records})`);
  const next = random(seed);
  const numbers = new Set<string>();
  while (numbers.size < distinct) {
    const raw = `+52155${String(Math.floor(next() * 1e8)).padStart(8, '0')}`;
    const parsed = toE164(raw, 'MX');
    if (!parsed.ok) throw new Error(`workload number ${raw} rejected by toE164: ${parsed.reason}`);
    numbers.add(parsed.e164);
  }
  const pool = [...numbers];
  const arrivals = [...pool];
  while (arrivals.length < records) arrivals.push(pool[Math.floor(next() * pool.length)]);
  for (let i = arrivals.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [arrivals[i], arrivals[j]] = [arrivals[j], arrivals[i]];
  }
  const start = Date.UTC(2024, 5, 1);
  const upserts = arrivals.map((number, i) => ({
    number,
    set: { name: `Lead ${i}`, lastMessageAt: new Date(start + i * 1000) },
    setOnInsert: { firstSource: 'whatsapp' },
    inc: { messageCount: 1 },
  }));
  return { upserts, distinct };
}
