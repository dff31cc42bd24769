import { Injectable } from '@nestjs/common';
import { Types, type Connection, type mongo } from 'mongoose';
import { encodePageCursor, olderThan, type PageCursor } from '../core/pagination/page-cursor';
import type { TenantContext } from '../tenancy/tenant-context';
import { tenantModel } from '../tenancy/tenant-model';
import { chunkedBulkWrite } from '../core/database/chunked-bulk-write';
import { PROSPECT_TABLE, type ProspectView } from './prospect';
import { RECORD_MODEL, RecordSchema } from './schemas/record.schema';

interface RecordDoc {
  _id: Types.ObjectId;
  tableSlug: string;
  c_name: string;
  data: Record<string, unknown> & { number: string };
  createdAt: Date;
  updatedAt: Date;
}

export interface ProspectPage {
  items: ProspectView[];
  nextCursor: string | null;
}

export interface WriteFailure {
  index: number;
  code?: number;
  message: string;
}

/** Result of one bulk write: per-operation failures, or `unattributed` when the server failed the whole command. */
export interface BulkWriteReport {
  failures: WriteFailure[];
  unattributed?: Error;
}

const records = (db: Connection) => tenantModel(db, RECORD_MODEL, RecordSchema);

/** Prospects in the company's `records` collection. Every filter names the tenant (`c_name`). */
@Injectable()
export class ProspectsRepository {
  async findIdsByNumbers(tenant: TenantContext, numbers: string[]): Promise<Map<string, string>> {
    const docs = await tenant.run((db) =>
      records(db)
        .find(this.scope(tenant, { 'data.number': { $in: numbers } }), { _id: 1, 'data.number': 1 })
        .lean<Pick<RecordDoc, '_id' | 'data'>[]>()
        .exec(),
    );
    return new Map(docs.map((doc) => [doc.data.number, doc._id.toHexString()]));
  }

  async bulkWrite(tenant: TenantContext, operations: mongo.AnyBulkWriteOperation[]): Promise<BulkWriteReport> {
    try {
      await tenant.run((db) => chunkedBulkWrite(records(db).collection, operations));
      return { failures: [] };
    } catch (error) {
      const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
      if (!Array.isArray(writeErrors) || writeErrors.length === 0) return { failures: [], unattributed: error as Error };
      return {
        failures: writeErrors.map((e: { index: number; code?: number; errmsg?: string; message?: string }) => ({
          index: e.index,
          code: e.code,
          message: e.errmsg ?? e.message ?? 'write failed',
        })),
      };
    }
  }

  async list(tenant: TenantContext, query: { search?: string; cursor?: PageCursor; limit: number }): Promise<ProspectPage> {
    const clauses: Record<string, unknown>[] = [this.scope(tenant)];
    if (query.search) {
      const pattern = escapeRegex(query.search.replace(/^\+/, ''));
      clauses.push({ $or: [{ 'data.number': { $regex: `^\\+?${pattern}` } }, { 'data.name': { $regex: pattern, $options: 'i' } }] });
    }
    if (query.cursor) clauses.push(olderThan('updatedAt', query.cursor));
    const filter = clauses.length === 1 ? clauses[0] : { $and: clauses };
    const docs = await tenant.run((db) =>
      records(db)
        .find(filter)
        .sort({ updatedAt: -1, _id: -1 })
        .limit(query.limit + 1)
        .lean<RecordDoc[]>()
        .exec(),
    );
    const items = docs.slice(0, query.limit).map(toView);
    const last = items.at(-1);
    return { items, nextCursor: docs.length > query.limit && last ? encodePageCursor({ at: last.updatedAt, id: last.id }) : null };
  }

  async findByNumber(tenant: TenantContext, number: string): Promise<ProspectView | null> {
    const doc = await tenant.run((db) =>
      records(db)
        .findOne(this.scope(tenant, { 'data.number': number }))
        .lean<RecordDoc>()
        .exec(),
    );
    return doc ? toView(doc) : null;
  }

  async updateFields(tenant: TenantContext, number: string, fields: Record<string, unknown>): Promise<ProspectView | null> {
    const $set: Record<string, unknown> = { updatedAt: new Date() };
    for (const [field, value] of Object.entries(fields)) $set[`data.${field}`] = value;
    const doc = await tenant.run((db) =>
      records(db)
        .findOneAndUpdate(this.scope(tenant, { 'data.number': number }), { $set }, { returnDocument: 'after' })
        .lean<RecordDoc>()
        .exec(),
    );
    return doc ? toView(doc) : null;
  }

  private scope(tenant: TenantContext, filter: Record<string, unknown> = {}): Record<string, unknown> {
    return { tableSlug: PROSPECT_TABLE, c_name: tenant.company.slug, ...filter };
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function toView(doc: RecordDoc): ProspectView {
  const { number, name, stage, tags, notes, ...rest } = doc.data;
  return {
    id: doc._id.toHexString(),
    number,
    name: name as string | undefined,
    stage: stage as string | undefined,
    tags: tags as string[] | undefined,
    notes: notes as string | undefined,
    data: rest,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}
