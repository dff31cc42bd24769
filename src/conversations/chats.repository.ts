import { Injectable } from '@nestjs/common';
import { Schema, Types, type Connection } from 'mongoose';
import type { TenantContext } from '../tenancy/tenant-context';
import { tenantModel } from '../tenancy/tenant-model';
import { chunkedBulkWrite } from '../core/database/chunked-bulk-write';
import type { ChatView, Page, StoredMessage } from './message';
import { encodePageCursor, olderThan, type PageCursor } from '../core/pagination/page-cursor';

const ChatSchema = new Schema({}, { collection: 'whatsappchats', strict: false, versionKey: false, autoIndex: false });
const chats = (db: Connection) => tenantModel(db, 'Chat', ChatSchema);

/** `whatsappchats`: one document per (phone, session), keyed by the unique index from migration 0001. */
@Injectable()
export class ChatsRepository {
  /**
   * Records the newest message of each chat in unordered bulk writes (chunked for the embedded server). Both
   * fields only move forward (`$max`; `lastMessage` compares by its first field, `at`), so replaying an older
   * message changes nothing.
   */
  async recordLatest(tenant: TenantContext, latest: ChatLatest[]): Promise<void> {
    if (latest.length === 0) return;
    const now = new Date();
    const operations = latest.map((message) => ({
      updateOne: {
        filter: { phone: message.phone, 'session.name': message.session },
        update: {
          $max: {
            lastMessageAt: message.timestamp,
            lastMessage: { at: message.timestamp, text: message.text, direction: message.direction },
            ...(message.lastInboundAt ? { lastInboundAt: message.lastInboundAt } : {}),
          },
          $set: { updatedAt: now },
          $setOnInsert: { createdAt: now },
        },
        upsert: true,
      },
    }));
    await tenant.run((db) => chunkedBulkWrite(chats(db).collection, operations));
  }

  /** One chat by its unique key (phone, session). */
  async find(tenant: TenantContext, session: string, phone: string): Promise<ChatView | undefined> {
    const doc = await tenant.run((db) => chats(db).findOne({ phone, 'session.name': session }).lean<RawChat>().exec());
    return doc ? toChat(doc) : undefined;
  }

  async list(tenant: TenantContext, session: string, cursor: PageCursor | undefined, limit: number): Promise<Page<ChatView>> {
    const filter: Record<string, unknown> = { 'session.name': session };
    const query = cursor ? { $and: [filter, olderThan('updatedAt', cursor)] } : filter;
    const docs = await tenant.run((db) =>
      chats(db)
        .find(query)
        .sort({ updatedAt: -1, _id: -1 })
        .limit(limit + 1)
        .lean<RawChat[]>()
        .exec(),
    );
    const items = docs.slice(0, limit).map(toChat);
    const last = docs[Math.min(limit, docs.length) - 1];
    return { items, nextCursor: docs.length > limit && last ? encodePageCursor({ at: last.updatedAt, id: last._id.toHexString() }) : null };
  }
}

/** The newest message of a chat, and its newest inbound one's time (WhatsApp's 24-hour window runs from it). */
export type ChatLatest = StoredMessage & { lastInboundAt?: Date };

type RawChat = Omit<ChatView, 'session'> & { _id: Types.ObjectId; session: { name: string } };

function toChat({ _id, session, ...rest }: RawChat): ChatView {
  void _id;
  return { ...rest, session: session.name };
}
