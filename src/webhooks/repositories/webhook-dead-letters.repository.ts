import { Injectable } from '@nestjs/common';
import { Schema, Types, type Connection } from 'mongoose';
import type { LoggedEvent } from '../../events/event-types';
import { encodePageCursor } from '../../core/pagination/page-cursor';
import type { TenantContext } from '../../tenancy/tenant-context';
import { tenantModel } from '../../tenancy/tenant-model';

const DeadLetterSchema = new Schema({}, { collection: 'webhook_dead_letters', strict: false, versionKey: false, autoIndex: false });
const deadLetters = (db: Connection) => tenantModel(db, 'WebhookDeadLetter', DeadLetterSchema).collection;

export interface NewDeadLetter {
  endpoint: string;
  event: LoggedEvent;
  attempts: number;
  lastStatus?: number;
  lastError: string;
  firstFailedAt: Date;
}

export interface WebhookDeadLetter extends NewDeadLetter {
  id: string;
  eventId: string;
  at: Date;
}

export interface DeadLetterPage {
  items: WebhookDeadLetter[];
  nextCursor: string | null;
}

type RawDeadLetter = Omit<WebhookDeadLetter, 'id'> & { _id: Types.ObjectId };

const DUPLICATE_KEY = 11000;

/** `webhook_dead_letters`: events an endpoint did not take within the retry horizon; one per event and endpoint. */
@Injectable()
export class WebhookDeadLettersRepository {
  async add(tenant: TenantContext, entry: NewDeadLetter, at = new Date()): Promise<void> {
    const doc = { _id: new Types.ObjectId(), ...entry, eventId: entry.event.id, lastError: entry.lastError.slice(0, 1_000), at };
    try {
      await tenant.run((db) => deadLetters(db).insertOne(doc));
    } catch (error) {
      // Dead-lettered again after a restart replayed it: the first entry stands.
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
    }
  }

  /** Newest first, in keyset pages over `_id`; `cursor` is the id of the last item of the previous page. */
  async list(tenant: TenantContext, endpoint: string, cursor: string | undefined, limit: number): Promise<DeadLetterPage> {
    const filter: Record<string, unknown> = { endpoint };
    if (cursor) filter._id = { $lt: new Types.ObjectId(cursor) };
    const docs = (await tenant.run((db) =>
      deadLetters(db)
        .find(filter)
        .sort({ _id: -1 })
        .limit(limit + 1)
        .toArray(),
    )) as unknown as RawDeadLetter[];
    const items = docs.slice(0, limit).map(fromRaw);
    const last = items.at(-1);
    return { items, nextCursor: docs.length > limit && last ? encodePageCursor({ at: last.at, id: last.id }) : null };
  }

  async get(tenant: TenantContext, endpoint: string, id: string): Promise<WebhookDeadLetter | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = (await tenant.run((db) => deadLetters(db).findOne({ _id: new Types.ObjectId(id), endpoint }))) as unknown as RawDeadLetter | null;
    return doc ? fromRaw(doc) : null;
  }

  async remove(tenant: TenantContext, id: string): Promise<void> {
    await tenant.run((db) => deadLetters(db).deleteOne({ _id: new Types.ObjectId(id) }));
  }
}

function fromRaw({ _id, ...rest }: RawDeadLetter): WebhookDeadLetter {
  return { id: _id.toHexString(), ...rest };
}
