import { Injectable } from '@nestjs/common';
import { Schema, Types, type Connection } from 'mongoose';
import type { TenantContext } from '../tenancy/tenant-context';
import { tenantModel } from '../tenancy/tenant-model';
import type { MediaSource } from '../providers/provider-events';
import type { MediaStatus, Page, StoredMessage } from './message';
import { encodePageCursor, olderThan, type PageCursor } from '../core/pagination/page-cursor';

const MessageSchema = new Schema({}, { collection: 'messages', strict: false, versionKey: false, autoIndex: false });
const messages = (db: Connection) => tenantModel(db, 'Message', MessageSchema);

export type NewMessage = Omit<StoredMessage, 'id'> & { id: Types.ObjectId; mediaSource?: MediaSource };

/** A stored message as the derive replay reads it: with how to fetch its media, which the API never shows. */
export type ReplayedMessage = StoredMessage & { mediaSource?: MediaSource };

/** What a finished download records on its message. */
export interface MediaOutcome {
  status: Exclude<MediaStatus, 'pending'>;
  size?: number;
  sha256?: string;
  reason?: string;
}
export type InsertOutcome = 'inserted' | 'duplicate' | (Error & { code?: number });

const DUPLICATE_KEY = 11000;

/**
 * The server's count of inserted documents does not match what it reported per document (seen on
 * FerretDB while it shuts down): which ones were stored is unknown, so the whole batch must be
 * written again, and "already exists" then may mean "stored by the first attempt".
 */
export class UnattributedInsertError extends Error {
  override readonly name = 'UnattributedInsertError';
  constructor(expected: number, reported: number, cause?: unknown) {
    const why = cause instanceof Error ? ` (${cause.message})` : '';
    super(`insert reported ${reported} of ${expected} documents without saying which${why}`, { cause });
  }
}

/** The `messages` collection of a company; the unique (session, provider id) key makes inserts idempotent. */
@Injectable()
export class MessagesRepository {
  /** Inserts what is new; a message already stored answers 'duplicate' (a redelivery), never a second copy. */
  async insertMany(tenant: TenantContext, batch: NewMessage[]): Promise<InsertOutcome[]> {
    const docs = batch.map(({ id, session, ...rest }) => ({ _id: id, session: { name: session }, ...rest }));
    const outcomes: InsertOutcome[] = batch.map(() => 'inserted');
    try {
      const result = await tenant.run((db) => messages(db).collection.insertMany(docs, { ordered: false }));
      if (result.insertedCount !== docs.length) throw new UnattributedInsertError(docs.length, result.insertedCount);
    } catch (error) {
      const { writeErrors, insertedCount } = error as { writeErrors?: Array<{ index: number; code?: number; errmsg?: string }>; insertedCount?: number };
      if (!Array.isArray(writeErrors)) throw error;
      if (typeof insertedCount === 'number' && insertedCount + writeErrors.length !== docs.length)
        throw new UnattributedInsertError(docs.length, insertedCount, error);
      for (const failure of writeErrors) {
        outcomes[failure.index] =
          failure.code === DUPLICATE_KEY ? 'duplicate' : Object.assign(new Error(failure.errmsg ?? 'insert failed'), { code: failure.code });
      }
    }
    return outcomes;
  }

  /** Messages stored from `after` on (by `_id`), oldest first: the replay of derived updates after a crash. */
  async pageFrom(tenant: TenantContext, after: Types.ObjectId, inclusive: boolean, limit: number): Promise<ReplayedMessage[]> {
    const docs = await tenant.run((db) =>
      messages(db)
        .find({ _id: inclusive ? { $gte: after } : { $gt: after } })
        .sort({ _id: 1 })
        .limit(limit)
        .lean<RawMessage[]>()
        .exec(),
    );
    return docs.map((doc) => ({ ...toMessage(doc), ...(doc.mediaSource ? { mediaSource: doc.mediaSource } : {}) }));
  }

  /** One message by its id; undefined for an id that is not one of ours. */
  async findById(tenant: TenantContext, id: string): Promise<StoredMessage | undefined> {
    if (!Types.ObjectId.isValid(id) || new Types.ObjectId(id).toHexString() !== id) return undefined;
    const doc = await tenant.run((db) =>
      messages(db)
        .findOne({ _id: new Types.ObjectId(id) })
        .lean<RawMessage>()
        .exec(),
    );
    return doc ? toMessage(doc) : undefined;
  }

  /** Records how a media download ended; the way to fetch it is forgotten then. */
  async recordMedia(tenant: TenantContext, id: string, outcome: MediaOutcome): Promise<void> {
    const set: Record<string, unknown> = { 'media.status': outcome.status };
    for (const field of ['size', 'sha256', 'reason'] as const) if (outcome[field] !== undefined) set[`media.${field}`] = outcome[field];
    await tenant.run((db) => messages(db).collection.updateOne({ _id: new Types.ObjectId(id) }, { $set: set, $unset: { mediaSource: 1 } }));
  }

  /** One message by its provider id (the unique key), for a provider that must resend or quote it. */
  async findByProviderId(tenant: TenantContext, session: string, providerMessageId: string): Promise<StoredMessage | undefined> {
    const doc = await tenant.run((db) => messages(db).findOne({ 'session.name': session, providerMessageId }).lean<RawMessage>().exec());
    return doc ? toMessage(doc) : undefined;
  }

  async listByChat(tenant: TenantContext, session: string, phone: string, cursor: PageCursor | undefined, limit: number): Promise<Page<StoredMessage>> {
    const filter: Record<string, unknown> = { 'session.name': session, phone };
    const query = cursor ? { $and: [filter, olderThan('timestamp', cursor)] } : filter;
    const docs = await tenant.run((db) =>
      messages(db)
        .find(query)
        .sort({ timestamp: -1, _id: -1 })
        .limit(limit + 1)
        .lean<RawMessage[]>()
        .exec(),
    );
    const items = docs.slice(0, limit).map(toMessage);
    const last = items.at(-1);
    return { items, nextCursor: docs.length > limit && last ? encodePageCursor({ at: last.timestamp, id: last.id }) : null };
  }
}

type RawMessage = Omit<StoredMessage, 'id' | 'session'> & { _id: Types.ObjectId; session: { name: string }; mediaSource?: MediaSource };

/** `derived` and `createdAt` are fields of messages stored before ingest kept a watermark instead. */
function toMessage(raw: RawMessage & { derived?: boolean; createdAt?: Date }): StoredMessage {
  const { _id, session, derived, createdAt, mediaSource, ...message } = raw;
  void derived;
  void createdAt;
  void mediaSource;
  return { ...message, id: _id.toHexString(), session: session.name };
}
