import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { BatchQueue } from '../src/core/batching/batch-queue';
import { ProspectUpsertBatcher } from '../src/prospects/prospect-upsert-batcher.service';
import { ProspectWriter } from '../src/prospects/prospect-writer';
import type { ProspectUpsert, UpsertResult } from '../src/prospects/prospect';
import { ProspectsRepository } from '../src/prospects/prospects.repository';
import { CompaniesService } from '../src/tenancy/companies.service';
import { TenantConnectionPool } from '../src/tenancy/tenant-connection-pool.service';
import { startTestApp, type TestApp } from './support/test-app';

const numbers = Array.from({ length: 20 }, (_, i) => `+5215512345${String(i).padStart(3, '0')}`);

describe('prospect upsert batcher (real database)', () => {
  let t: TestApp;
  let records: () => ReturnType<Connection['collection']>;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function useCompany(slug: string) {
    const company = await t.app.get(CompaniesService).get(slug);
    const control = t.app.get<Connection>(getConnectionToken());
    records = () => control.useDb(company.dbName).collection('records');
    return company;
  }

  it('turns 200 concurrent upserts of the same 20 new numbers into exactly 20 records', async () => {
    const company = await useCompany('mitsubishi');
    const batcher = t.app.get(ProspectUpsertBatcher);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        batcher.upsert(company, { number: numbers[i % 20], set: { name: `caller ${i}` }, setOnInsert: { firstSource: 'test' }, inc: { messageCount: 1 } }),
      ),
    );
    expect(results.filter((r) => r === 'created')).toHaveLength(20);
    expect(await records().countDocuments({ c_name: 'mitsubishi', tableSlug: 'prospectos' })).toBe(20);
    const docs = await records().find({}).toArray();
    expect(docs.every((doc) => doc.data.messageCount === 10 && doc.data.firstSource === 'test')).toBe(true);
    expect(docs.every((doc) => doc.createdAt instanceof Date && doc.updatedAt instanceof Date)).toBe(true);
  });

  it('never duplicates a number when independent writers (as on two instances) race on new numbers', async () => {
    const company = await useCompany('diocsa');
    const tenant = t.app.get(TenantConnectionPool).contextFor(company);
    const writers = Array.from({ length: 4 }, () => {
      const writer = new ProspectWriter(new ProspectsRepository(), { retries: 3, idCacheSize: 1000 });
      return new BatchQueue<ProspectUpsert, UpsertResult>({ maxBatchSize: 10, maxWaitMs: 5, maxPending: 100 }, (items) => writer.write(tenant, items));
    });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => writers[i % 4].add({ number: numbers[(i * 7) % 20], inc: { messageCount: 1 } })));
    expect(results.filter((r) => r === 'created')).toHaveLength(20);
    expect(await records().countDocuments({})).toBe(20);
    const total = (await records().find({}).toArray()).reduce((sum, doc) => sum + doc.data.messageCount, 0);
    expect(total).toBe(200);
  });

  it('keeps fields written by the legacy system and updates by the compound key of an existing record', async () => {
    const company = await useCompany('simple-green');
    await records().insertOne({
      tableSlug: 'prospectos',
      c_name: 'simple-green',
      data: { number: numbers[0], legacyField: 'kept', name: 'old' },
      createdAt: new Date(0),
      updatedAt: new Date(0),
    });
    const result = await t.app.get(ProspectUpsertBatcher).upsert(company, { number: numbers[0], set: { name: 'new' }, setOnInsert: { firstSource: 'x' } });
    expect(result).toBe('updated');
    const doc = await records().findOne({ 'data.number': numbers[0] });
    expect(doc?.data).toMatchObject({ legacyField: 'kept', name: 'new' });
    expect(doc?.data.firstSource).toBeUndefined();
    expect(doc?.createdAt).toEqual(new Date(0));
    expect(await records().countDocuments({})).toBe(1);
  });

  it('fails only the item whose write fails and flushes pending items on shutdown', async () => {
    const company = await useCompany('quicklearning');
    const batcher = t.app.get(ProspectUpsertBatcher);
    const good = batcher.upsert(company, { number: numbers[1], set: { name: 'ok' } });
    const bad = batcher.upsert(company, { number: numbers[2], set: { name: 'x' }, inc: { 'bad..path': 1 } });
    await expect(good).resolves.toBe('created');
    await expect(bad).rejects.toThrow();
    const pending = batcher.upsert(company, { number: numbers[3], set: { name: 'pending' } });
    await batcher.flushAll();
    await expect(pending).resolves.toBe('created');
    expect(await records().countDocuments({ 'data.number': { $in: [numbers[1], numbers[3]] } })).toBe(2);
  });
});
