import { Injectable } from '@nestjs/common';
import type { mongo } from 'mongoose';
import type { TenantContext } from '../tenancy/tenant-context';

const USAGE = 'media_usage';
const ID = 'bytes';

interface UsageDoc {
  _id: string;
  bytes: number;
}

/** `media_usage`: one document per company counting the media bytes it keeps, reserved before each store. */
@Injectable()
export class MediaUsageRepository {
  /** Companies whose counter document is known to exist. */
  private readonly counted = new Set<string>();

  async used(tenant: TenantContext): Promise<number> {
    return (await tenant.run((db) => collection(db).findOne({ _id: ID })))?.bytes ?? 0;
  }

  /** Adds `bytes` only if the total stays within `quota`, atomically (concurrent downloads cannot overshoot). */
  async reserve(tenant: TenantContext, bytes: number, quota: number): Promise<boolean> {
    if (bytes > quota) return false;
    if (!this.counted.has(tenant.company.dbName)) {
      await tenant
        .run((db) => collection(db).insertOne({ _id: ID, bytes: 0 }))
        .catch((error: { code?: number }) => {
          if (error.code !== 11000) throw error;
        });
      this.counted.add(tenant.company.dbName);
    }
    const result = await tenant.run((db) => collection(db).updateOne({ _id: ID, bytes: { $lte: quota - bytes } }, { $inc: { bytes } }));
    return result.modifiedCount === 1;
  }

  async release(tenant: TenantContext, bytes: number): Promise<void> {
    await tenant.run((db) => collection(db).updateOne({ _id: ID }, { $inc: { bytes: -bytes } }));
  }
}

function collection(db: { db?: mongo.Db }): mongo.Collection<UsageDoc> {
  return db.db!.collection<UsageDoc>(USAGE);
}
