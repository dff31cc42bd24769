import { Injectable } from '@nestjs/common';
import type { mongo } from 'mongoose';
import type { TenantContext } from '../tenancy/tenant-context';
import type { MediaJob } from './media-job';

const DOWNLOADS = 'media_downloads';
const DUPLICATE_KEY = 11000;

type JobDoc = Omit<MediaJob, 'id'> & { _id: string; owner: string; leaseUntil: Date };

/**
 * `media_downloads`: the downloads not yet done, one small document per media message, inserted once the
 * message is stored and deleted once its media is recorded. Kept apart from `messages` so that finding the
 * pending ones after a restart reads this short collection, never the messages. Every write names an `_id`.
 */
@Injectable()
export class MediaDownloadsRepository {
  /** Inserts the jobs leased to `owner`; those already queued (a replay) are left to whoever holds them. Answers the ids inserted. */
  async add(tenant: TenantContext, jobs: MediaJob[], owner: string, leaseUntil: Date): Promise<string[]> {
    if (jobs.length === 0) return [];
    const docs: JobDoc[] = jobs.map(({ id, ...job }) => ({ _id: id, ...job, owner, leaseUntil }));
    const refused = new Set<number>();
    try {
      await tenant.run((db) => collection(db).insertMany(docs, { ordered: false }));
    } catch (error) {
      const writeErrors = (error as { writeErrors?: Array<{ index: number; code?: number }> }).writeErrors;
      if (!Array.isArray(writeErrors) || writeErrors.some((e) => e.code !== DUPLICATE_KEY)) throw error;
      for (const failure of writeErrors) refused.add(failure.index);
    }
    return docs.filter((_, index) => !refused.has(index)).map((doc) => doc._id);
  }

  /** Every queued download of the company (the collection only holds what is in progress). */
  async list(tenant: TenantContext, limit: number): Promise<Array<MediaJob & { leaseUntil: Date }>> {
    const docs = await tenant.run((db) => collection(db).find({}).limit(limit).toArray());
    return docs.map(({ _id, owner, ...job }) => {
      void owner;
      return { id: _id, ...job };
    });
  }

  /** Takes (or extends) the lease of one job; false when another process holds it. */
  async claim(tenant: TenantContext, id: string, owner: string, now: Date, leaseUntil: Date): Promise<boolean> {
    const result = await tenant.run((db) =>
      collection(db).updateOne({ _id: id, $or: [{ owner }, { leaseUntil: { $lt: now } }] }, { $set: { owner, leaseUntil } }),
    );
    return result.matchedCount === 1;
  }

  /** Gives a job back for any process to take at once (shutdown), or after `at`. */
  async release(tenant: TenantContext, id: string, owner: string, at = new Date(0)): Promise<void> {
    await tenant.run((db) => collection(db).updateOne({ _id: id, owner }, { $set: { leaseUntil: at } }));
  }

  async remove(tenant: TenantContext, id: string): Promise<void> {
    await tenant.run((db) => collection(db).deleteOne({ _id: id }));
  }
}

function collection(db: { db?: mongo.Db }): mongo.Collection<JobDoc> {
  return db.db!.collection<JobDoc>(DOWNLOADS);
}
