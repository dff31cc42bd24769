import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { CompanyCaps, CompanyRecord, ProviderName } from './company';
import { CompanyDocument } from './schemas/company.schema';

export interface NewCompany {
  slug: string;
  displayName: string;
  provider: ProviderName;
  dbName: string;
  cluster?: string;
  caps: CompanyCaps;
}

export type CompanyPatch = Partial<Pick<CompanyRecord, 'displayName' | 'provider' | 'cluster' | 'caps'>>;

const DUPLICATE_KEY = 11000;

/** The company registry in the control database. */
@Injectable()
export class CompaniesRepository {
  constructor(@InjectModel(CompanyDocument.name) private readonly companies: Model<CompanyDocument>) {}

  async findBySlug(slug: string): Promise<CompanyRecord | null> {
    const doc = await this.companies.findById(slug).lean<CompanyDocument>().exec();
    return doc ? toRecord(doc) : null;
  }

  async list(): Promise<CompanyRecord[]> {
    const docs = await this.companies.find().sort({ _id: 1 }).lean<CompanyDocument[]>().exec();
    return docs.map(toRecord);
  }

  /** Inserts the company; returns false when the slug is taken. */
  async create(company: NewCompany): Promise<boolean> {
    const { slug, ...rest } = company;
    try {
      await this.companies.create({ _id: slug, ...rest });
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  async update(slug: string, patch: CompanyPatch): Promise<CompanyRecord | null> {
    const $set: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(patch)) {
      if (key === 'caps' && value) {
        for (const [cap, limit] of Object.entries(value as CompanyCaps)) $set[`caps.${cap}`] = limit;
      } else if (value !== undefined) {
        $set[key] = value;
      }
    }
    const doc = await this.companies.findByIdAndUpdate(slug, { $set }, { returnDocument: 'after' }).lean<CompanyDocument>().exec();
    return doc ? toRecord(doc) : null;
  }
}

function toRecord(doc: CompanyDocument): CompanyRecord {
  return {
    slug: doc._id,
    displayName: doc.displayName,
    provider: doc.provider,
    dbName: doc.dbName,
    cluster: doc.cluster ?? undefined,
    caps: doc.caps ?? {},
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}
