import { Injectable } from '@nestjs/common';
import { Schema, Types, type Connection } from 'mongoose';
import type { TenantContext } from '../tenancy/tenant-context';
import { tenantModel } from '../tenancy/tenant-model';
import type { Page, StoredMessage } from './message';
import { encodePageCursor, olderThan, type PageCursor } from '../core/pagination/page-cursor';

const MessageSchema = new Schema({}, { collection: 'messages', strict: false, versionKey: false, autoIndex: false });
const messages = (db: Connection) => tenantModel(db, 'Message', MessageSchema);

export type NewMessage = Omit<StoredMessage, 'id'> & { id: Types.ObjectId };
export type InsertOutcome = 'inserted' | 'duplicate' | Error;

const DUPLICATE_KEY = 11000;

/** The `messages` collection of a company; the unique (session, provider id) key makes inserts idempotent. */
@Injectable()
export class MessagesRepository {
  /** Inserts what is new; a message already stored answers 'duplicate' (a redelivery), never a second copy. */
  async insertMany(tenant: TenantContext, batch: NewMessage[], derived: boolean): Promise<InsertOutcome[]> {
    const docs = batch.map(({ id, session, ...rest }) => ({ _id: id, session: { name: session }, ...rest, derived, createdAt: new Date() }));
    const outcomes: InsertOutcome[] = batch.map(() => 'inserted');
    try {
      await tenant.run((db) => messages(db).collection.insertMany(docs, { ordered: false }));
    } catch (error) {
      const writeErrors = (error as { writeErrors?: Array<{ index: number; code?: number; errmsg?: string }> }).writeErrors;
      if (!Array.isArray(writeErrors)) throw error;
      for (const failure of writeErrors) {
        outcomes[failure.index] = failure.code === DUPLICATE_KEY ? 'duplicate' : new Error(failure.errmsg ?? 'insert failed');
      }
    }
    return outcomes;
  }

  async markDerived(tenant: TenantContext, ids: Types.ObjectId[]): Promise<void> {
    if (ids.length === 0) return;
    await tenant.run((db) => messages(db).collection.updateMany({ _id: { $in: ids } }, { $set: { derived: true } }));
  }

  /** Stored messages whose chat and prospect updates may not have happened (a crash in between). */
  async findUnderived(tenant: TenantContext, limit: number): Promise<StoredMessage[]> {
    const docs = await tenant.run((db) => messages(db).find({ derived: false }).sort({ _id: 1 }).limit(limit).lean<RawMessage[]>().exec());
    return docs.map(toMessage);
  }

  async listByChat(tenant: TenantContext, session: string, phone: string, cursor: PageCursor | undefined, limit: number): Promise<Page<StoredMessage>> {
    const filter: Record<string, unknown> = { 'session.name': session, phone };
    const query = cursor ? { $and: [filter, olderThan('timestamp', cursor)] } : filter;
    const docs = await tenant.run((db) => messages(db).find(query).sort({ timestamp: -1, _id: -1 }).limit(limit + 1).lean<RawMessage[]>().exec());
    const items = docs.slice(0, limit).map(toMessage);
    const last = items.at(-1);
    return { items, nextCursor: docs.length > limit && last ? encodePageCursor({ at: last.timestamp, id: last.id }) : null };
  }
}

type RawMessage = Omit<StoredMessage, 'id' | 'session'> & { _id: Types.ObjectId; session: { name: string } };

function toMessage(raw: RawMessage & { derived?: boolean; createdAt?: Date }): StoredMessage {
  const { _id, session, derived, createdAt, ...message } = raw;
  void derived;
  void createdAt;
  return { ...message, id: _id.toHexString(), session: session.name };
}
