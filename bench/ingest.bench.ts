import { resolve } from 'node:path';
import mongoose from 'mongoose';
import { writeIngestSection } from './markdown';
import { measure, type Measurement } from './measure';
import { buildResults, type Variants } from './report';
import { benchCommand, describeServer, startServer } from './server';
import { batcher } from './variants/batcher';
import { oneByOne } from './variants/one-by-one';
import { rawBulkWrite } from './variants/raw-bulk-write';
import { rawSamePlan } from './variants/raw-same-plan';
import type { Variant } from './variants/variant';
import { buildWorkload } from './workload';
import { machineFacts } from './machine';
import { publishResults } from './publish';

const ROOT = resolve(__dirname, '../..');
const BATCH_SIZE = 50;
const WARMUP_RECORDS = 200;
const VARIANTS: Record<keyof Variants, Variant> = { batcher, rawSamePlan, rawBulkWrite, oneByOne };

async function main(): Promise<void> {
  const records = positiveInt('BENCH_RECORDS', 2000);
  const distinct = positiveInt('BENCH_DISTINCT', Math.max(1, Math.floor(records / 2)));
  const workload = buildWorkload(records, distinct);
  const warmup = buildWorkload(WARMUP_RECORDS, WARMUP_RECORDS / 2, 7);

  const server = await startServer(process.env.FERRETDB_BIN ?? resolve(ROOT, '.tools/bin/ferretdb'));
  try {
    const base = await mongoose.createConnection(server.uri, { monitorCommands: true }).asPromise();
    try {
      const serverName = await describeServer(base.getClient().db('admin'));
      console.log(`ingest bench: ${records} upserts over ${distinct} numbers on ${serverName}`);
      // JIT, the connection pool and module loading would otherwise be charged to whichever variant runs first.
      for (const [name, variant] of Object.entries(VARIANTS)) await measure(base, `warmup_${name}`, variant, warmup, BATCH_SIZE);

      const measured: Partial<Variants> = {};
      for (const [name, variant] of Object.entries(VARIANTS) as Array<[keyof Variants, Variant]>) {
        measured[name] = await measure(base, name, variant, workload, BATCH_SIZE);
        console.log(summary(name, measured[name]));
      }
      const results = buildResults(measured as Variants, {
        server: serverName,
        serverOrigin: server.origin,
        ...machineFacts(),
        date: new Date().toISOString(),
        records,
        distinct,
        batchSize: BATCH_SIZE,
        warmupRecords: WARMUP_RECORDS,
        command: command(),
      });
      publishResults('ingest', results);
      writeIngestSection(resolve(ROOT, 'BENCHMARKS.md'), results);

      const { throughput, roundTrips } = results.targets;
      console.log(`batcher / rawBulkWrite records/s: ${(throughput.measured * 100).toFixed(1)}% (target >= 90%): ${throughput.met ? 'met' : 'MISSED'}`);
      console.log(`oneByOne / batcher round trips: ${roundTrips.measured}x (target >= 20x): ${roundTrips.met ? 'met' : 'MISSED'}`);
      console.log('wrote bench/results/ingest.json and the ingest section of BENCHMARKS.md');
    } finally {
      await base.close();
    }
  } finally {
    await server.stop();
  }
}

function summary(name: string, m: Measurement): string {
  return `${name.padEnd(13)} ${m.recordsPerSecond.toFixed(1).padStart(9)} rec/s  ${m.wallSeconds.toFixed(2).padStart(7)} s  ${String(m.roundTrips).padStart(5)} round trips  ${m.cpuMicrosPerRecord.toFixed(1).padStart(7)} µs CPU/record`;
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

function command(): string {
  return benchCommand('bench:ingest', 'dist-bench/bench/ingest.bench.js', ['BENCH_RECORDS', 'BENCH_DISTINCT']);
}

main().catch((error: unknown) => {
  console.error('ingest bench FAILED:', error);
  process.exitCode = 1;
});
