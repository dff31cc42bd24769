import { Schema } from 'mongoose';

/**
 * Baileys credentials (`type: 'creds'`) and signal keys, one document per key, in each company's
 * database. `value` is the BufferJSON text, so Buffers survive. Indexes are created by migrations only.
 */
export const BaileysAuthSchema = new Schema(
  {
    session: { type: String, required: true },
    type: { type: String, required: true },
    id: { type: String, required: true },
    value: { type: String, required: true },
    updatedAt: Date,
  },
  { collection: 'baileys_auth', versionKey: false, autoIndex: false, _id: true, id: false },
);

export const BAILEYS_AUTH_MODEL = 'BaileysAuth';
export const BAILEYS_AUTH_COLLECTION = 'baileys_auth';
