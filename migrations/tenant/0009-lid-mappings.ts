import type { Migration } from '../migration';

/** `lid_mappings`: the phone number behind each WhatsApp privacy id (`…@lid`), read and written by `_id` only. */
export const lidMappings: Migration = {
  name: '0009-lid-mappings',
  async up({ db }) {
    const existing = (await db.listCollections({}, { nameOnly: true }).toArray()).map((collection) => collection.name);
    if (!existing.includes('lid_mappings')) await db.createCollection('lid_mappings');
  },
};
