import { Injectable } from '@nestjs/common';
import type { Connection, mongo } from 'mongoose';
import type { TenantContext } from '../../tenancy/tenant-context';
import { tenantModel } from '../../tenancy/tenant-model';
import { BAILEYS_AUTH_MODEL, BaileysAuthSchema } from './schemas/baileys-auth.schema';

/** One key of a session's auth state; a `null` value deletes it. */
export interface AuthEntry {
  type: string;
  id: string;
  value: string | null;
}

interface AuthDoc {
  id: string;
  value: string;
}

const DUPLICATE_KEY = 11000;

const authDocs = (db: Connection) => tenantModel(db, BAILEYS_AUTH_MODEL, BaileysAuthSchema);

/** The `baileys_auth` collection of a company database. Every filter names the session. */
@Injectable()
export class BaileysAuthStateRepository {
  /** Stored values of `ids` (absent ids are missing from the map). */
  async find(tenant: TenantContext, session: string, type: string, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const docs = await tenant.run((db) =>
      authDocs(db)
        .find({ session, type, id: ids.length === 1 ? ids[0] : { $in: ids } }, { _id: 0, id: 1, value: 1 })
        .lean<AuthDoc[]>()
        .exec(),
    );
    return new Map(docs.map((doc) => [doc.id, doc.value]));
  }

  /** Upserts and deletes in one unordered bulkWrite. */
  async write(tenant: TenantContext, session: string, entries: AuthEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const now = new Date();
    const operations: mongo.AnyBulkWriteOperation[] = entries.map(({ type, id, value }) =>
      value === null
        ? { deleteOne: { filter: { session, type, id } } }
        : { updateOne: { filter: { session, type, id }, update: { $set: { value, updatedAt: now } }, upsert: true } },
    );
    const run = () => tenant.run((db) => authDocs(db).collection.bulkWrite(operations, { ordered: false }));
    try {
      await run();
    } catch (error) {
      // Two upserts of a new key can race to insert it; every operation is idempotent, so one retry settles it.
      if (!isDuplicateKey(error)) throw error;
      await run();
    }
  }

  async clear(tenant: TenantContext, session: string): Promise<number> {
    const result = await tenant.run((db) => authDocs(db).collection.deleteMany({ session }));
    return result.deletedCount;
  }

  async count(tenant: TenantContext, session: string): Promise<number> {
    return tenant.run((db) => authDocs(db).countDocuments({ session }).exec());
  }
}

function isDuplicateKey(error: unknown): boolean {
  const { code, writeErrors } = (error ?? {}) as { code?: number; writeErrors?: Array<{ code?: number }> };
  return code === DUPLICATE_KEY || (Array.isArray(writeErrors) && writeErrors.some((e) => e.code === DUPLICATE_KEY));
}
