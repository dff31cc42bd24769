import type { Migration } from '../migration';

/**
 * The conversation record: every inbound message, and every outbound one once the provider took it.
 * The provider's message id is unique per session, which is what makes ingest exactly-once.
 */
export const messages: Migration = {
  name: '0003-messages',
  async up({ db }) {
    await db.collection('messages').createIndexes([
      { key: { 'session.name': 1, providerMessageId: 1 }, name: 'messages_provider_id_unique', unique: true },
      { key: { 'session.name': 1, phone: 1, timestamp: -1 }, name: 'messages_chat_listing' },
    ]);
  },
};
