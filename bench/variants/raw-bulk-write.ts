import type { mongo } from 'mongoose';
import { prospectKey, toUpdate } from './raw-ops';
import type { Variant } from './variant';

/** The ceiling: the same upserts straight through the driver, one unordered bulkWrite per batch. */
export const rawBulkWrite: Variant = async ({ records, company, upserts, batchSize }) => {
  let writeCalls = 0;
  for (let start = 0; start < upserts.length; start += batchSize) {
    const now = new Date();
    const operations: mongo.AnyBulkWriteOperation[] = upserts.slice(start, start + batchSize).map((upsert) => ({
      updateOne: { filter: prospectKey(company.slug, upsert.number), update: toUpdate(upsert, now), upsert: true },
    }));
    await records.bulkWrite(operations, { ordered: false });
    writeCalls++;
  }
  return { writeCalls };
};
