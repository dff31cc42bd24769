import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { ApiKeyDocument } from './schemas/api-key.schema';

export interface ApiKeyRecord {
  id: string;
  companySlug: string;
  name: string;
  secretHash: string;
  createdAt: Date;
  revokedAt?: Date;
}

@Injectable()
export class ApiKeysRepository {
  constructor(@InjectModel(ApiKeyDocument.name) private readonly keys: Model<ApiKeyDocument>) {}

  async create(key: Omit<ApiKeyRecord, 'createdAt' | 'revokedAt'>): Promise<ApiKeyRecord> {
    const doc = await this.keys.create({ _id: key.id, companySlug: key.companySlug, name: key.name, secretHash: key.secretHash });
    return toRecord(doc.toObject());
  }

  async findById(id: string): Promise<ApiKeyRecord | null> {
    const doc = await this.keys.findById(id).lean<ApiKeyDocument>().exec();
    return doc ? toRecord(doc) : null;
  }

  async listByCompany(companySlug: string): Promise<ApiKeyRecord[]> {
    const docs = await this.keys.find({ companySlug }).sort({ createdAt: -1 }).lean<ApiKeyDocument[]>().exec();
    return docs.map(toRecord);
  }

  /** Marks the key revoked; false when the company has no such key. */
  async revoke(companySlug: string, id: string): Promise<boolean> {
    const result = await this.keys.updateOne({ _id: id, companySlug }, { $set: { revokedAt: new Date() } }).exec();
    return result.matchedCount === 1;
  }
}

function toRecord(doc: ApiKeyDocument): ApiKeyRecord {
  return {
    id: doc._id,
    companySlug: doc.companySlug,
    name: doc.name,
    secretHash: doc.secretHash,
    createdAt: doc.createdAt,
    revokedAt: doc.revokedAt ?? undefined,
  };
}
