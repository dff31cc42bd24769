import { Injectable } from '@nestjs/common';
import type { mongo } from 'mongoose';
import type { LidMapping } from '../providers/provider-events';
import type { TenantContext } from '../tenancy/tenant-context';

const LID_MAPPINGS = 'lid_mappings';
const DUPLICATE_KEY = 11000;

interface MappingDoc {
  _id: string;
  phone: string;
  at: Date;
}

/**
 * `lid_mappings`: which phone number (E.164) is behind each WhatsApp privacy id (`<digits>@lid`), per company, as
 * WhatsApp revealed it. A user's LID does not change, so mappings are inserted once and read by `_id`.
 */
@Injectable()
export class LidMappingsRepository {
  async save(tenant: TenantContext, mappings: LidMapping[]): Promise<void> {
    const unique = new Map(mappings.map((mapping) => [mapping.lid, mapping.phone]));
    if (unique.size === 0) return;
    const at = new Date();
    const docs: MappingDoc[] = [...unique].map(([lid, phone]) => ({ _id: lid, phone, at }));
    try {
      await tenant.run((db) => collection(db).insertMany(docs, { ordered: false }));
    } catch (error) {
      const writeErrors = (error as { writeErrors?: Array<{ code?: number }> }).writeErrors;
      if (!Array.isArray(writeErrors) || writeErrors.some((e) => e.code !== DUPLICATE_KEY)) throw error;
    }
  }

  async phoneOf(tenant: TenantContext, lid: string): Promise<string | undefined> {
    return (await tenant.run((db) => collection(db).findOne({ _id: lid })))?.phone;
  }
}

function collection(db: { db?: mongo.Db }): mongo.Collection<MappingDoc> {
  return db.db!.collection<MappingDoc>(LID_MAPPINGS);
}
