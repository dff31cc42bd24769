import { Injectable } from '@nestjs/common';
import { Schema, type Connection, type Types } from 'mongoose';
import type { TenantContext } from '../tenancy/tenant-context';
import { tenantModel } from '../tenancy/tenant-model';

const WatermarkSchema = new Schema({}, { collection: 'ingest_watermarks', strict: false, versionKey: false, autoIndex: false });
const watermarks = (db: Connection) => tenantModel(db, 'IngestWatermark', WatermarkSchema);

export interface DeriveWatermark {
  /** The process incarnation that keeps it. */
  owner: string;
  /** Every message this owner stored with an `_id` below this has its chat and prospect updates applied. */
  upTo: Types.ObjectId;
  heartbeatAt: Date;
}

interface RawWatermark {
  _id: string;
  upTo: Types.ObjectId;
  heartbeatAt: Date;
}

/** `ingest_watermarks`: one small document per live process and company, read and written by `_id` only. */
@Injectable()
export class DeriveWatermarkRepository {
  async save(tenant: TenantContext, owner: string, upTo: Types.ObjectId, now = new Date()): Promise<void> {
    await tenant.run((db) => watermarks(db).collection.updateOne({ _id: owner as never }, { $set: { upTo, heartbeatAt: now } }, { upsert: true }));
  }

  /** Every watermark of the company; a handful at most, one per process that stored messages. */
  async list(tenant: TenantContext): Promise<DeriveWatermark[]> {
    const docs = await tenant.run((db) => watermarks(db).find({}).lean<RawWatermark[]>().exec());
    return docs.map(({ _id, upTo, heartbeatAt }) => ({ owner: _id, upTo, heartbeatAt }));
  }

  /** Removes a watermark, unless its owner renewed it after `notAfter` (it was alive after all). */
  async remove(tenant: TenantContext, owner: string, notAfter?: Date): Promise<void> {
    const filter: Record<string, unknown> = { _id: owner };
    if (notAfter) filter.heartbeatAt = { $lte: notAfter };
    await tenant.run((db) => watermarks(db).collection.deleteOne(filter as never));
  }
}
