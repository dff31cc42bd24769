import { Injectable } from '@nestjs/common';
import { Schema, Types, type Connection } from 'mongoose';
import { encodePageCursor, type PageCursor } from '../core/pagination/page-cursor';
import type { InboundMessage } from '../providers/provider-events';
import type { TenantContext } from '../tenancy/tenant-context';
import { tenantModel } from '../tenancy/tenant-model';

const DeadLetterSchema = new Schema({}, { collection: 'ingest_dead_letters', strict: false, versionKey: false, autoIndex: false });
const deadLetters = (db: Connection) => tenantModel(db, 'IngestDeadLetter', DeadLetterSchema);

export interface DeadLetter {
  id: string;
  session: string;
  message: InboundMessage;
  reason: string;
  at: Date;
}

export interface DeadLetterPage {
  items: DeadLetter[];
  nextCursor: string | null;
}

interface RawDeadLetter {
  _id: Types.ObjectId;
  session: string;
  message: InboundMessage;
  reason: string;
  at: Date;
}

const MAX_TEXT = 4_096;
const MAX_REASON = 1_000;

/** What is kept of a refused message: all of it but a text too long to store (often the very reason). */
function keepable(message: InboundMessage): InboundMessage & { textLength?: number } {
  if (message.text === undefined || message.text.length <= MAX_TEXT) return message;
  return { ...message, text: message.text.slice(0, MAX_TEXT), textLength: message.text.length };
}

/** `ingest_dead_letters`: inbound messages the database refused for good, kept with the reason for an admin. */
@Injectable()
export class DeadLettersRepository {
  async add(tenant: TenantContext, entry: { id: Types.ObjectId; session: string; message: InboundMessage; reason: string }): Promise<void> {
    const doc = { _id: entry.id, session: entry.session, message: keepable(entry.message), reason: entry.reason.slice(0, MAX_REASON), at: new Date() };
    try {
      await tenant.run((db) => deadLetters(db).collection.insertOne(doc));
    } catch (error) {
      // Written again after an unclear failure: the first attempt stored it.
      if ((error as { code?: number }).code !== 11000) throw error;
    }
  }

  /** Newest first, in keyset pages over `_id` (the only index this small collection needs). */
  async list(tenant: TenantContext, cursor: PageCursor | undefined, limit: number): Promise<DeadLetterPage> {
    const filter = cursor ? { _id: { $lt: new Types.ObjectId(cursor.id) } } : {};
    const docs = await tenant.run((db) =>
      deadLetters(db)
        .find(filter)
        .sort({ _id: -1 })
        .limit(limit + 1)
        .lean<RawDeadLetter[]>()
        .exec(),
    );
    const items = docs.slice(0, limit).map(({ _id, ...rest }) => ({ id: _id.toHexString(), ...rest }));
    const last = items.at(-1);
    return { items, nextCursor: docs.length > limit && last ? encodePageCursor({ at: last.at, id: last.id }) : null };
  }
}
