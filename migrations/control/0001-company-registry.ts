import type { Migration } from '../migration';

const LAUNCH_COMPANIES = [
  { slug: 'mitsubishi', displayName: 'Mitsubishi', provider: 'whatsapp-web' },
  { slug: 'diocsa', displayName: 'Diocsa', provider: 'whatsapp-web' },
  { slug: 'simple-green', displayName: 'Simple Green', provider: 'whatsapp-web' },
  { slug: 'quicklearning', displayName: 'Quicklearning', provider: 'twilio', cluster: 'quicklearning' },
] as const;

/** The company registry and API keys, seeded with the four launch companies. */
export const companyRegistry: Migration = {
  name: '0001-company-registry',
  async up({ db, tenantDbPrefix }) {
    await db.collection('apikeys').createIndex({ companySlug: 1, createdAt: -1 }, { name: 'apikey_company_listing' });
    const now = new Date();
    await db.collection<{ _id: string }>('companies').bulkWrite(
      LAUNCH_COMPANIES.map((company) => ({
        updateOne: {
          filter: { _id: company.slug },
          update: {
            $setOnInsert: {
              displayName: company.displayName,
              provider: company.provider,
              dbName: `${tenantDbPrefix}${company.slug.replace(/-/g, '_')}`,
              ...('cluster' in company ? { cluster: company.cluster } : {}),
              caps: {},
              createdAt: now,
              updatedAt: now,
            },
          },
          upsert: true,
        },
      })),
      { ordered: true },
    );
  },
};
