import { Types, type mongo } from 'mongoose';
import { mergeUpserts, PROSPECT_TABLE } from '../../src/prospects/prospect';
import { toDocument, toUpdate } from './raw-ops';
import type { Variant } from './variant';

/**
 * The batcher's plan on the raw driver, to isolate what our layers cost: per batch, merge repeats, then
 * one bulkWrite of inserts for numbers without a known id and `_id` upserts for known ones. On a fresh
 * database with a single writer no insert meets an existing number, so the duplicate-key path never runs.
 */
export const rawSamePlan: Variant = async ({ records, company, upserts, batchSize }) => {
  const ids = new Map<string, Types.ObjectId>();
  let writeCalls = 0;
  for (let start = 0; start < upserts.length; start += batchSize) {
    const batch = mergeUpserts(upserts.slice(start, start + batchSize));
    const now = new Date();
    const created: Array<[string, Types.ObjectId]> = [];
    const operations: mongo.AnyBulkWriteOperation[] = batch.map((merged) => {
      const id = ids.get(merged.number);
      if (id) {
        const onInsert = { tableSlug: PROSPECT_TABLE, c_name: company.slug, 'data.number': merged.number };
        return { updateOne: { filter: { _id: id }, update: toUpdate(merged, now, onInsert), upsert: true } };
      }
      const newId = new Types.ObjectId();
      created.push([merged.number, newId]);
      return { insertOne: { document: toDocument(company.slug, merged, newId, now) } };
    });
    await records.bulkWrite(operations, { ordered: false });
    writeCalls++;
    for (const [number, id] of created) ids.set(number, id);
  }
  return { writeCalls };
};
