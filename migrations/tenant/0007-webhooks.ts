import type { Migration } from '../migration';

/**
 * Outgoing webhooks: endpoints (a handful per company, read whole or by `_id`, with the delivery cursor),
 * the dispatcher lease (one document) and dead letters, listed per endpoint newest first and kept once
 * per event and endpoint.
 */
export const webhooks: Migration = {
  name: '0007-webhooks',
  async up({ db }) {
    const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((collection) => collection.name));
    for (const name of ['webhook_endpoints', 'webhook_dispatch']) {
      if (!existing.has(name)) await db.createCollection(name);
    }
    await db.collection('webhook_dead_letters').createIndexes([
      { key: { endpoint: 1, _id: -1 }, name: 'webhook_dead_letters_listing' },
      { key: { endpoint: 1, eventId: 1 }, name: 'webhook_dead_letters_once', unique: true },
    ]);
  },
};
