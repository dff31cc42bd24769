import { Types } from 'mongoose';
import { PROSPECT_TABLE, type ProspectUpsert } from '../../src/prospects/prospect';

/** The legacy key of a prospect: the filter the old path and the compound unique index use. */
export function prospectKey(company: string, number: string): Record<string, unknown> {
  return { tableSlug: PROSPECT_TABLE, c_name: company, 'data.number': number };
}

/** The upsert as an update document on `data.*`; `onInsert` adds what the filter does not already create. */
export function toUpdate(upsert: ProspectUpsert, now: Date, onInsert: Record<string, unknown> = {}): Record<string, unknown> {
  const $set: Record<string, unknown> = { updatedAt: now };
  for (const [field, value] of Object.entries(upsert.set ?? {})) $set[`data.${field}`] = value;
  const $setOnInsert: Record<string, unknown> = { ...onInsert, createdAt: now };
  for (const [field, value] of Object.entries(upsert.setOnInsert ?? {})) $setOnInsert[`data.${field}`] = value;
  const $inc = Object.fromEntries(Object.entries(upsert.inc ?? {}).map(([field, by]) => [`data.${field}`, by]));
  return { $set, $setOnInsert, $inc };
}

/** A whole new prospect document, as the batcher inserts it. */
export function toDocument(company: string, upsert: ProspectUpsert, id: Types.ObjectId, now: Date): Record<string, unknown> {
  const data = { ...upsert.setOnInsert, ...upsert.set, ...upsert.inc, number: upsert.number };
  return { _id: id, tableSlug: PROSPECT_TABLE, c_name: company, data, createdAt: now, updatedAt: now };
}
