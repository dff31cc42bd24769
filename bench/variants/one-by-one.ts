import { prospectKey, toUpdate } from './raw-ops';
import type { Variant } from './variant';

/** The old path: one awaited findOneAndUpdate upsert per message. */
export const oneByOne: Variant = async ({ records, company, upserts }) => {
  for (const upsert of upserts) {
    await records.findOneAndUpdate(prospectKey(company.slug, upsert.number), toUpdate(upsert, new Date()), { upsert: true });
  }
  return { writeCalls: upserts.length };
};
