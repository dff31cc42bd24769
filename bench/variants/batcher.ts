import { BatchQueue } from '../../src/core/batching/batch-queue';
import type { ProspectUpsert, UpsertResult } from '../../src/prospects/prospect';
import { ProspectWriter } from '../../src/prospects/prospect-writer';
import { ProspectsRepository } from '../../src/prospects/prospects.repository';
import type { TenantContext } from '../../src/tenancy/tenant-context';
import { TenantOperationGate } from '../../src/tenancy/tenant-operation-gate';
import type { Variant } from './variant';

/** Production path, wired by hand: queue -> writer -> repository, every operation through the company's gate. */
export const batcher: Variant = async ({ connection, company, upserts, batchSize }) => {
  const gate = new TenantOperationGate({ maxConcurrent: 5, queueSize: 1000, waitTimeoutMs: 60_000 });
  const tenant: TenantContext = { company, run: (operation) => gate.run(() => operation(connection)) };
  const writer = new ProspectWriter(new ProspectsRepository(), { retries: 3, idCacheSize: 20_000 });
  let writeCalls = 0;
  const queue = new BatchQueue<ProspectUpsert, UpsertResult>({ maxBatchSize: batchSize, maxWaitMs: 250, maxPending: 1000 }, (items) => {
    writeCalls++;
    return writer.write(tenant, items);
  });
  const settled = upserts.map((upsert) => queue.add(upsert));
  await Promise.all([...settled, queue.drain()]);
  return { writeCalls };
};
