import { Injectable } from '@nestjs/common';
import { Schema, type Connection } from 'mongoose';
import type { TenantContext } from '../tenancy/tenant-context';
import { tenantModel } from '../tenancy/tenant-model';
import type { EventType } from './event-types';

const PageSchema = new Schema({}, { collection: 'event_pages', strict: false, versionKey: false, autoIndex: false });
const pages = (db: Connection) => tenantModel(db, 'EventPage', PageSchema);
const MetaSchema = new Schema({}, { collection: 'event_log_meta', strict: false, versionKey: false, autoIndex: false });
const meta = (db: Connection) => tenantModel(db, 'EventLogMeta', MetaSchema);

/** One event as stored inside its page. */
export interface StoredEvent {
  id: string;
  key: string;
  type: EventType;
  session?: string;
  at: Date;
  data: Record<string, unknown>;
}

/**
 * Pages are keyed by a zero-padded string: FerretDB pushes an `_id` equality down to its index for strings and
 * ObjectIds but scans the collection for a number (measured: 46 ms against 670 ms per findOne at 10,000 pages).
 * The padding keeps string order equal to page order for the retention's range delete.
 */
const keyOf = (page: number) => `p${String(page).padStart(15, '0')}`;

/** A page of the log: numbered 1, 2, 3… with no gaps, immutable once written. */
export interface EventPageDocument {
  _id: number;
  at: Date;
  /** Written once per page attempt series: a retried insert recognises its own page by it. */
  nonce: string;
  events: StoredEvent[];
}

/**
 * `event_pages` and `event_log_meta`. Pages are only ever inserted and read by `_id`, the two cheap
 * operations on every MongoDB-compatible server; the page number is the unit of the log's order.
 */
@Injectable()
export class EventPageRepository {
  /** Inserts page `page._id`; false when that number is taken (by another writer, or by this very page earlier). */
  async insert(tenant: TenantContext, page: EventPageDocument): Promise<boolean> {
    try {
      await tenant.run((db) => pages(db).collection.insertOne({ ...page, _id: keyOf(page._id) } as never));
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return false;
      throw error;
    }
  }

  async get(tenant: TenantContext, number: number): Promise<EventPageDocument | null> {
    const doc = await tenant.run((db) => pages(db).collection.findOne({ _id: keyOf(number) as never }));
    return doc ? ({ ...doc, _id: number } as unknown as EventPageDocument) : null;
  }

  async exists(tenant: TenantContext, number: number): Promise<boolean> {
    const found = await tenant.run((db) => pages(db).collection.findOne({ _id: keyOf(number) as never }, { projection: { _id: 1 } }));
    return found !== null;
  }

  /** The first page retention kept (1 until a sweep removed older ones). */
  async floor(tenant: TenantContext): Promise<number> {
    const doc = await tenant.run((db) => meta(db).collection.findOne({ _id: 'floor' as never }));
    return (doc?.page as number | undefined) ?? 1;
  }

  /** Moves the floor first, then deletes what lies under it: a reader never finds a hole above the floor. */
  async dropBelow(tenant: TenantContext, floor: number): Promise<number> {
    await tenant.run((db) => meta(db).collection.updateOne({ _id: 'floor' as never }, { $max: { page: floor } }, { upsert: true }));
    const result = await tenant.run((db) => pages(db).collection.deleteMany({ _id: { $lt: keyOf(floor) } } as never));
    return result.deletedCount;
  }
}
