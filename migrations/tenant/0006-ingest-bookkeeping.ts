import type { Migration } from '../migration';

/**
 * Ingest's own small collections: per-process derive watermarks and dead letters. Both are read by
 * `_id` only (dead letters newest first), so the `_id` index that comes with the collection serves them.
 */
export const ingestBookkeeping: Migration = {
  name: '0006-ingest-bookkeeping',
  async up({ db }) {
    const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((collection) => collection.name));
    for (const name of ['ingest_watermarks', 'ingest_dead_letters']) {
      if (!existing.has(name)) await db.createCollection(name);
    }
  },
};
