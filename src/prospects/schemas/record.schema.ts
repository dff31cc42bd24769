import { Schema } from 'mongoose';

/**
 * The legacy generic `records` collection (prospects are `tableSlug: 'prospectos'`). Non-strict, so
 * fields written by the old system survive our writes. Indexes are created by migrations only.
 */
export const RecordSchema = new Schema(
  {
    tableSlug: { type: String, required: true },
    c_name: { type: String, required: true },
    data: { type: Schema.Types.Mixed, default: {} },
    createdAt: Date,
    updatedAt: Date,
  },
  { collection: 'records', strict: false, versionKey: false, autoIndex: false, minimize: false },
);

export const RECORD_MODEL = 'Record';
