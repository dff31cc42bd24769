import { performance } from 'node:perf_hooks';
import type { Connection } from 'mongoose';
import { prospectsAndChats } from '../migrations/tenant/0001-prospects-and-chats';
import type { CompanyRecord } from '../src/tenancy/company';
import { RoundTripCounter } from './round-trips';
import type { Variant } from './variants/variant';
import { verify } from './verify';
import type { Workload } from './workload';

export interface Measurement {
  recordsPerSecond: number;
  wallSeconds: number;
  roundTrips: number;
  roundTripsPer1k: number;
  cpuMicrosPerRecord: number;
  writeCalls: number;
  commands: Record<string, number>;
}

/** Runs one variant on a fresh, migrated database, verifies what it wrote, then drops the database. */
export async function measure(base: Connection, name: string, variant: Variant, workload: Workload, batchSize: number): Promise<Measurement> {
  const dbName = `bench_${name}_${Date.now().toString(36)}`.toLowerCase();
  const connection = base.useDb(dbName, { useCache: false });
  const db = connection.db;
  if (!db) throw new Error(`no database handle for ${dbName}`);
  await prospectsAndChats.up({ db, tenantDbPrefix: '' });
  const company = benchCompany(dbName);
  const records = db.collection('records');
  const n = workload.upserts.length;

  const counter = new RoundTripCounter(base.getClient(), dbName);
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  let writeCalls: number;
  try {
    ({ writeCalls } = await variant({ connection, records, company, upserts: workload.upserts, batchSize }));
  } finally {
    counter.stop();
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);

  await verify(name, records, company.slug, workload);
  await db.dropDatabase();
  return {
    recordsPerSecond: round(n / wallSeconds),
    wallSeconds: round(wallSeconds, 2),
    roundTrips: counter.total,
    roundTripsPer1k: round((counter.total / n) * 1000),
    cpuMicrosPerRecord: round((cpu.user + cpu.system) / n),
    writeCalls,
    commands: { ...counter.byCommand },
  };
}

function benchCompany(dbName: string): CompanyRecord {
  const now = new Date();
  return { slug: 'bench-co', displayName: 'Bench Co', provider: 'baileys', dbName, caps: {}, createdAt: now, updatedAt: now };
}

export function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
