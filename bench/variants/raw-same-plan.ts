import { Types, type mongo } from 'mongoose';
import { mergeUpserts, PROSPECT_TABLE } from '../../src/prospects/prospect';
import { toDocument, toUpdate } from './raw-ops';
import type { Variant } from './variant';

/**
 * The batcher's plan on the raw driver, to isolate what our layers cost: per batch, merge repeats, look up
 * the numbers whose id is not yet known (the batcher keeps the same id cache), then one bulkWrite of
 * inserts for new numbers and `_id` upserts for known ones. Single writer on a fresh database: no races.
 */
export const rawSamePlan: Variant = async ({ records, company, upserts, batchSize }) => {
  const ids = new Map<string, Types.ObjectId>();
  let writeCalls = 0;
  for (let start = 0; start < upserts.length; start += batchSize) {
    const batch = mergeUpserts(upserts.slice(start, start + batchSize));
    const unknown = batch.filter((merged) => !ids.has(merged.number)).map((merged) => merged.number);
    if (unknown.length > 0) {
      const filter = { tableSlug: PROSPECT_TABLE, c_name: company.slug, 'data.number': { $in: unknown } };
      for (const doc of await records.find(filter, { projection: { _id: 1, 'data.number': 1 } }).toArray()) {
        ids.set(doc.data.number as string, doc._id as Types.ObjectId);
      }
    }
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
