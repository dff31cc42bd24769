import { Injectable } from '@nestjs/common';
import { Schema, type Connection } from 'mongoose';
import type { TenantContext } from '../../tenancy/tenant-context';
import { tenantModel } from '../../tenancy/tenant-model';

const LeaseSchema = new Schema({}, { collection: 'webhook_dispatch', strict: false, versionKey: false, autoIndex: false });
const leases = (db: Connection) => tenantModel(db, 'WebhookDispatchLease', LeaseSchema).collection;

const LEASE_ID = 'dispatcher';
const DUPLICATE_KEY = 11000;

export interface DispatchLease {
  owner: string;
  token: number;
  expiresAt: Date;
}

/**
 * `webhook_dispatch`: one document per company naming the process that delivers its webhooks. Claimed
 * and renewed by one atomic update by `_id`; taken over by another process once it has expired.
 */
@Injectable()
export class WebhookDispatchLeaseRepository {
  /** Takes or renews the lease; null while another live process holds it. */
  async claim(tenant: TenantContext, owner: string, now: Date, ttlMs: number): Promise<DispatchLease | null> {
    const expiresAt = new Date(now.getTime() + ttlMs);
    const taken = await tenant.run((db) =>
      leases(db).findOneAndUpdate(
        { _id: LEASE_ID as never, $or: [{ owner }, { expiresAt: { $lt: now } }] },
        { $set: { owner, expiresAt }, $inc: { token: 1 } },
        { returnDocument: 'after' },
      ),
    );
    if (taken) return { owner, token: taken.token as number, expiresAt };
    try {
      await tenant.run((db) => leases(db).insertOne({ _id: LEASE_ID as never, owner, expiresAt, token: 1 }));
      return { owner, token: 1, expiresAt };
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return null;
      throw error;
    }
  }

  /** Lets another process take over at once. */
  async release(tenant: TenantContext, owner: string): Promise<void> {
    await tenant.run((db) => leases(db).updateOne({ _id: LEASE_ID as never, owner }, { $set: { expiresAt: new Date(0) } }));
  }
}
