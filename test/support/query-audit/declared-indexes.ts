import { randomBytes } from 'node:crypto';
import { mongo } from 'mongoose';
import { controlMigrations, tenantMigrations, type Migration } from '../../../migrations';
import type { IndexSpec } from '../../../src/core/database/index-coverage';

/** Indexes by database kind, then collection. */
export type DeclaredIndexes = Record<string, Record<string, IndexSpec[]>>;

/**
 * Applies the real migrations, in order, to two throwaway databases and lists the indexes they leave,
 * so the audit checks against what the migrations declare rather than a copy of it.
 */
export async function declaredIndexes(uri: string): Promise<DeclaredIndexes> {
  const client = await new mongo.MongoClient(uri).connect();
  const prefix = `qa${randomBytes(4).toString('hex')}_`;
  const control = client.db(`${prefix}control`);
  const tenant = client.db(`${prefix}tenant`);
  try {
    return {
      control: await migrateAndList(control, controlMigrations, prefix),
      tenant: await migrateAndList(tenant, tenantMigrations, prefix),
    };
  } finally {
    await Promise.allSettled([control.dropDatabase(), tenant.dropDatabase()]);
    await client.close();
  }
}

async function migrateAndList(db: mongo.Db, migrations: Migration[], tenantDbPrefix: string): Promise<Record<string, IndexSpec[]>> {
  for (const migration of migrations) await migration.up({ db, tenantDbPrefix });
  const byCollection: Record<string, IndexSpec[]> = {};
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    const indexes = await db.collection(name).listIndexes().toArray();
    byCollection[name] = indexes.map((index) => ({
      name: index.name as string,
      key: Object.entries(index.key as Record<string, unknown>),
      unique: index.unique === true || index.name === '_id_',
    }));
  }
  return byCollection;
}
