import type { Connection, mongo } from 'mongoose';
import type { ProspectUpsert } from '../../src/prospects/prospect';
import type { CompanyRecord } from '../../src/tenancy/company';

export interface VariantInput {
  /** Mongoose connection on the variant's own fresh database. */
  connection: Connection;
  /** The same database's `records` collection, raw driver. */
  records: mongo.Collection;
  company: CompanyRecord;
  upserts: ProspectUpsert[];
  batchSize: number;
}

/** Writes every upsert, in arrival order; answers how many write calls (batches or single writes) it made. */
export type Variant = (input: VariantInput) => Promise<{ writeCalls: number }>;
