import type { Measurement } from './measure';
import type { IngestResults } from './report';
import { writeSection } from './section';

/** Replaces the ingest section of BENCHMARKS.md (or appends it), leaving everything else as it was. */
export function writeIngestSection(path: string, results: IngestResults): void {
  writeSection(path, 'ingest', render(results));
}

function render(r: IngestResults): string {
  const e = r.environment;
  const v = r.variants;
  const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
  const verdict = (met: boolean) => (met ? 'met' : '**missed**');
  const lines = [
    '## Prospect ingest (`npm run bench:ingest`)',
    '',
    `${e.date}: ${e.records} upserts over ${e.distinct} distinct numbers (the rest are repeats), arrival order shuffled with a fixed seed,`,
    `batches of ${e.batchSize}. Server: ${e.server}, ${e.serverOrigin}. Node ${e.node}, ${e.cpu} (${e.cores} cores).`,
    `Each variant ran on a fresh database carrying the production indexes (migration 0001), after an unrecorded warm-up of ${e.warmupRecords} records,`,
    'and passed the correctness check (one record per number, `data.messageCount` summing to the upserts, latest name kept).',
    `Command: \`${e.command}\`.`,
    '',
    '| Variant | Records/s | Wall (s) | Round trips | per 1,000 records | CPU µs/record | Commands |',
    '|---|---:|---:|---:|---:|---:|---|',
    row('`batcher`: production (BatchQueue → ProspectWriter → gate)', v.batcher),
    row('`oneByOne`: old path, one `findOneAndUpdate` per record', v.oneByOne),
    row('`rawBulkWrite`: ceiling, raw `bulkWrite` of the same upserts', v.rawBulkWrite),
    row("`rawSamePlan` (extra): raw driver running the batcher's plan", v.rawSamePlan),
    '',
    'Round trips count the `find`/`insert`/`update`/`findAndModify` commands sent for `records`; CPU is this process only (not the server).',
    '',
    '### Targets',
    '',
    `- Throughput, batcher / rawBulkWrite: ${percent(r.targets.throughput.measured)} (target ≥ ${percent(r.targets.throughput.target)}): ${verdict(r.targets.throughput.met)}.`,
    `- Round trips, oneByOne / batcher: ${r.targets.roundTrips.measured}× fewer (target ≥ ${r.targets.roundTrips.target}×): ${verdict(r.targets.roundTrips.met)}.`,
    ...missedReasons(r),
    `- Our own overhead: the batcher runs at ${percent(r.ratios.batcherVsRawSamePlan)} of \`rawSamePlan\`'s speed and uses ${cpuDelta(v.batcher.cpuMicrosPerRecord - v.rawSamePlan.cpuMicrosPerRecord)} per record.`,
    '',
    '### Reading these figures',
    '',
    "- The batcher does not send the ceiling's statements: per batch it merges repeats, then writes numbers without a cached id as inserts",
    '  (the unique index turns an existing number into a per-item duplicate key, looked up and retried as an update) and known numbers as',
    "  updates by `_id`. On FerretDB's SQLite backend only `_id` filters use an index;",
    '  every compound-filter upsert (`oneByOne`, `rawBulkWrite`) scans the collection, so there the batcher can beat the "ceiling".',
    '  The driver splits a mixed `bulkWrite` into one `insert` and one `update` command, so a batch costs one or two round trips',
    '  (three only the first time an existing number not yet cached is seen).',
    '- `rawSamePlan` keeps the same id map as the batcher, so both send the same commands and',
    '  the difference between them is our queue, gate, Mongoose layer and bookkeeping.',
    `- Each variant runs once, in the order ${Object.keys(v).join(', ')}. Wall times on a shared machine vary between runs`,
    '  (about ±15% for the same variant was seen while writing this bench), so read small gaps such as batcher vs rawSamePlan with care.',
    "- CPU is process time as the kernel accounts it: it includes the driver's work per command and each wake-up after waiting on the server,",
    '  so a path with one round trip per record (`oneByOne`) pays that per record.',
    "- Absolute speed on FerretDB is not MongoDB's; ratios and round-trip counts carry over better. Rerun on real MongoDB with",
    '  `MONGODB_URI=mongodb://… npm run bench:ingest` (`BENCH_RECORDS` and `BENCH_DISTINCT` change the workload).',
  ];
  return lines.join('\n');
}

function row(label: string, m: Measurement): string {
  const commands = Object.entries(m.commands)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
  return `| ${label} | ${m.recordsPerSecond.toFixed(1)} | ${m.wallSeconds.toFixed(2)} | ${m.roundTrips} | ${m.roundTripsPer1k.toFixed(1)} | ${m.cpuMicrosPerRecord.toFixed(1)} | ${commands} |`;
}

/** Why a missed target was missed, from what was measured. */
function missedReasons(r: IngestResults): string[] {
  const v = r.variants;
  const reasons: string[] = [];
  if (!r.targets.roundTrips.met) {
    const perBatch = v.batcher.roundTrips / v.batcher.writeCalls;
    reasons.push(
      `  - Why: the batcher wrote ${v.batcher.writeCalls} batches with ${v.batcher.roundTrips} commands, ${perBatch.toFixed(2)} per batch` +
        ` (${Object.entries(v.batcher.commands)
          .map(([name, count]) => `${name} ${count}`)
          .join(', ')}). With new numbers arriving throughout,` +
        ` nearly every batch needs a lookup, an insert and an update, so against one command per record the reduction is about` +
        ` ${r.environment.batchSize} / ${perBatch.toFixed(2)}; ${r.targets.roundTrips.target}× would need at most` +
        ` ${(r.environment.batchSize / r.targets.roundTrips.target).toFixed(1)} commands per batch of ${r.environment.batchSize}.`,
    );
  }
  if (!r.targets.throughput.met) {
    reasons.push(
      `  - Why: per 1,000 records the batcher sent ${v.batcher.roundTripsPer1k} round trips against the ceiling's ${v.rawBulkWrite.roundTripsPer1k},` +
        ` and used ${v.batcher.cpuMicrosPerRecord} µs of CPU per record against ${v.rawBulkWrite.cpuMicrosPerRecord}.`,
    );
  }
  return reasons;
}

function cpuDelta(micros: number): string {
  return `${Math.abs(micros).toFixed(1)} µs ${micros >= 0 ? 'more' : 'less'} CPU`;
}
