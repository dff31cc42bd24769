import type { Migration } from '../migration';

/**
 * Inbound media: the download queue (`media_downloads`), the files (`media_files`), the company's byte count
 * (`media_usage`) and the current chunk segment (`media_segments`). Every one is read and written by `_id` only,
 * so the `_id` index that comes with each collection serves it; chunk segments (`media_chunks_<n>`) are created
 * by their first insert and read by `_id` too.
 */
export const media: Migration = {
  name: '0008-media',
  async up({ db }) {
    const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((collection) => collection.name));
    for (const name of ['media_downloads', 'media_files', 'media_usage', 'media_segments']) {
      if (!existing.has(name)) await db.createCollection(name);
    }
  },
};
