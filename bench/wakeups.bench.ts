import { loadavg } from 'node:os';
import { EchoPeer, pageReader, perEvent, serveEcho, type PerEvent } from './wakeups/measure';
import { machineFacts } from './machine';
import { publishResults } from './publish';

/**
 * What it costs this machine to wake a sleeping process: the CPU charged to a Node process for a timer that
 * fires after it slept, and for a loopback round trip to another process, back to back and spaced out. Every
 * database command and every HTTP request of a lightly loaded service pays such wake-ups, so their price sets
 * a floor under "CPU per message" that no code change removes.
 */
const GAPS_MS = [0, 1, 10];
const TIMER_EVENTS = 400;
const ROUND_TRIPS = { back: 4_000, spaced: 400 };
const PAYLOAD_BYTES = 200;
const PAGE_READS = 2_000;
const HEAPS_MB = [8, 256];
const PAGE_GAP_MS = 40;

interface Results {
  measuredAt: string;
  environment: Record<string, unknown>;
  /** A timer of `gapMs` (0: setImmediate, no sleep) per event. */
  timers: Array<{ gapMs: number } & PerEvent>;
  /** One loopback round trip per event, after `gapMs` asleep (0: back to back). */
  roundTrips: Array<{ gapMs: number } & PerEvent>;
  /** CPU of a round trip after 10 ms asleep over the same round trip back to back. */
  spacedOverBackToBack: number;
  /** `reads` random 4 KiB pages of a `megabytes` buffer per event, back to back (`gapMs` 0) and after a sleep. */
  pageReads: Array<{ megabytes: number; reads: number; gapMs: number } & PerEvent>;
}

async function main(): Promise<void> {
  if (process.argv.includes('--echo-server')) return serveEcho();
  const loadBefore = loadavg()[0];
  const timers: Results['timers'] = [];
  for (const gapMs of GAPS_MS) {
    const wait = gapMs === 0 ? () => new Promise<void>((resolve) => setImmediate(resolve)) : () => Promise.resolve();
    timers.push({ gapMs, ...(await perEvent(gapMs === 0 ? TIMER_EVENTS * 10 : TIMER_EVENTS, gapMs, wait)) });
  }
  const peer = await EchoPeer.start(__filename, PAYLOAD_BYTES);
  const roundTrips: Results['roundTrips'] = [];
  try {
    await perEvent(500, 0, () => peer.roundTrip());
    for (const gapMs of GAPS_MS)
      roundTrips.push({ gapMs, ...(await perEvent(gapMs === 0 ? ROUND_TRIPS.back : ROUND_TRIPS.spaced, gapMs, () => peer.roundTrip())) });
  } finally {
    peer.stop();
  }
  const pageReads: Results['pageReads'] = [];
  for (const megabytes of HEAPS_MB) {
    const read = pageReader(megabytes, PAGE_READS);
    await perEvent(50, 0, read);
    for (const gapMs of [0, PAGE_GAP_MS]) pageReads.push({ megabytes, reads: PAGE_READS, gapMs, ...(await perEvent(200, gapMs, read)) });
  }
  const [back, spaced] = [roundTrips[0], roundTrips[roundTrips.length - 1]];
  const results: Results = {
    measuredAt: new Date().toISOString(),
    environment: {
      ...machineFacts(),
      loadAverageBefore: Number(loadBefore.toFixed(2)),
      payloadBytes: PAYLOAD_BYTES,
    },
    timers,
    roundTrips,
    spacedOverBackToBack: Math.round((spaced.cpuMicros / back.cpuMicros) * 10) / 10,
    pageReads,
  };
  const jsonPath = publishResults('wakeups', results, markdown(results));
  for (const row of roundTrips) console.log(`round trip after ${row.gapMs} ms asleep: ${row.cpuMicros} µs CPU (scheduler: ${row.runtimeMicros} µs)`);
  for (const row of pageReads) console.log(`${row.reads} page reads of ${row.megabytes} MB after ${row.gapMs} ms asleep: ${row.cpuMicros} µs CPU`);
  console.log(`wrote ${jsonPath} and the wakeups section of BENCHMARKS.md`);
}

function markdown(r: Results): string {
  const e = r.environment;
  const row = (what: string, x: { gapMs: number } & PerEvent) =>
    `| ${what} | ${x.gapMs === 0 ? 'none' : `${x.gapMs} ms`} | ${x.cpuMicros} | ${x.runtimeMicros} |`;
  return [
    '## What a wake-up costs on this machine (`npm run bench:wakeups`)',
    '',
    `${r.measuredAt}. Node ${e.node}, ${e.cpu} (${e.cores} cores), load average ${e.loadAverageBefore} before the run.`,
    "The CPU charged to one Node process per event (user + system from getrusage; the scheduler's on-CPU time of all its threads beside it),",
    `for a timer, and for a round trip of ${e.payloadBytes} bytes to an echo server in another process on loopback, with the process asleep for the gap before each.`,
    '',
    '| Event | Asleep before | CPU µs | On-CPU µs (scheduler) |',
    '|---|---:|---:|---:|',
    ...r.timers.map((t) => row(t.gapMs === 0 ? 'setImmediate' : 'timer', t)),
    ...r.roundTrips.map((t) => row('loopback round trip', t)),
    '',
    `A round trip after 10 ms asleep costs ${r.spacedOverBackToBack}× the same round trip back to back.`,
    '',
    'The same work after sleeping: random reads of distinct 4 KiB pages of a buffer, back to back and after the process slept.',
    '',
    '| Buffer | Page reads | Asleep before | CPU µs | On-CPU µs (scheduler) |',
    '|---:|---:|---:|---:|---:|',
    ...r.pageReads.map((p) => `| ${p.megabytes} MB | ${p.reads} | ${p.gapMs === 0 ? 'none' : `${p.gapMs} ms`} | ${p.cpuMicros} | ${p.runtimeMicros} |`),
    '',
    'A process that slept pays for every page it touches again, and a service touches hundreds of pages (code and heap) per request:',
    'a lightly loaded service, which sleeps between messages, pays this on each HTTP request and each database answer. That sets the',
    'floor under the CPU per message of `bench:inbound` on this machine.',
  ].join('\n');
}

void main();
