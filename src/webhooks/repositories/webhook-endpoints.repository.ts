import { Injectable } from '@nestjs/common';
import { Schema, type Connection } from 'mongoose';
import type { TenantContext } from '../../tenancy/tenant-context';
import { tenantModel } from '../../tenancy/tenant-model';
import type { DeliveryState, StoredEndpoint } from '../webhook-endpoint';

const EndpointSchema = new Schema({}, { collection: 'webhook_endpoints', strict: false, versionKey: false, autoIndex: false });
const endpoints = (db: Connection) => tenantModel(db, 'WebhookEndpoint', EndpointSchema).collection;

type RawEndpoint = Omit<StoredEndpoint, 'id'> & { _id: string };
export type EndpointChanges = Partial<
  Pick<StoredEndpoint, 'url' | 'types' | 'sessions' | 'secret' | 'previousSecret' | 'previousSecretUntil' | 'secretRotatedAt'>
>;

/** `webhook_endpoints`: a company's few endpoints, read whole or by `_id`; every write is by `_id`. */
@Injectable()
export class WebhookEndpointsRepository {
  async insert(tenant: TenantContext, endpoint: StoredEndpoint): Promise<void> {
    const { id, ...rest } = endpoint;
    await tenant.run((db) => endpoints(db).insertOne({ _id: id as never, ...rest }));
  }

  /** Every endpoint of the company, oldest first (at most the per-company limit). */
  async list(tenant: TenantContext): Promise<StoredEndpoint[]> {
    const docs = (await tenant.run((db) => endpoints(db).find({}).toArray())) as unknown as RawEndpoint[];
    return docs.map(fromRaw).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  }

  async get(tenant: TenantContext, id: string): Promise<StoredEndpoint | null> {
    const doc = (await tenant.run((db) => endpoints(db).findOne({ _id: id as never }))) as unknown as RawEndpoint | null;
    return doc ? fromRaw(doc) : null;
  }

  /** False when there is no such endpoint. */
  async update(tenant: TenantContext, id: string, changes: EndpointChanges, unset: Array<keyof EndpointChanges> = []): Promise<boolean> {
    const update: Record<string, unknown> = { $set: { ...changes, updatedAt: new Date() } };
    if (unset.length > 0) update.$unset = Object.fromEntries(unset.map((field) => [field, 1]));
    const result = await tenant.run((db) => endpoints(db).updateOne({ _id: id as never }, update));
    return result.matchedCount === 1;
  }

  async remove(tenant: TenantContext, id: string): Promise<boolean> {
    const result = await tenant.run((db) => endpoints(db).deleteOne({ _id: id as never }));
    return result.deletedCount === 1;
  }

  /** The dispatcher's progress: the cursor only moves forward (a late write of a former owner cannot move it back). */
  async saveProgress(tenant: TenantContext, id: string, cursor: number, delivery: DeliveryState): Promise<void> {
    await tenant.run((db) => endpoints(db).updateOne({ _id: id as never }, { $max: { cursor }, $set: { delivery } }));
  }
}

function fromRaw({ _id, ...rest }: RawEndpoint): StoredEndpoint {
  return { id: _id, ...rest, types: rest.types ?? null, sessions: rest.sessions ?? null, cursor: rest.cursor ?? 0 };
}
