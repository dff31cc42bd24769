import { Injectable } from '@nestjs/common';
import type { Connection, mongo } from 'mongoose';
import type { TenantContext } from '../../tenancy/tenant-context';
import { StaleOwnerError, type SessionFence } from '../session-fence';
import { tenantModel } from '../../tenancy/tenant-model';
import { chunkedBulkWrite } from '../../core/database/chunked-bulk-write';
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

  /**
   * Upserts and deletes in one unordered bulkWrite. With a fence, the lease is checked first and every
   * document carries the token: a document written under a newer token is never overwritten or deleted
   * (the upsert's insert then fails on the unique key), so a stale owner's write is refused.
   */
  async write(tenant: TenantContext, session: string, entries: AuthEntry[], fence?: SessionFence): Promise<void> {
    if (entries.length === 0) return;
    await fence?.assertCurrent();
    const now = new Date();
    const guard = fence ? { fence: { $not: { $gt: fence.token } } } : {};
    const stamp = fence ? { fence: fence.token } : {};
    const operations: mongo.AnyBulkWriteOperation[] = entries.map(({ type, id, value }) =>
      value === null
        ? { deleteOne: { filter: { session, type, id, ...guard } } }
        : { updateOne: { filter: { session, type, id, ...guard }, update: { $set: { value, updatedAt: now, ...stamp } }, upsert: true } },
    );
    const run = () => tenant.run((db) => chunkedBulkWrite(authDocs(db).collection, operations));
    try {
      await run();
    } catch (error) {
      // Two upserts of a new key can race to insert it; every operation is idempotent, so one retry settles it.
      if (!isDuplicateKey(error)) throw error;
      await fence?.assertCurrent();
      try {
        await run();
      } catch (again) {
        if (fence && isDuplicateKey(again)) throw new StaleOwnerError(session, fence.token);
        throw again;
      }
    }
  }

  async clear(tenant: TenantContext, session: string, fence?: SessionFence): Promise<number> {
    await fence?.assertCurrent();
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
