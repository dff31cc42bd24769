import type { Migration } from '../migration';

/**
 * Prospects live in `records` (the legacy shape, tableSlug 'prospectos'); chats in `whatsappchats`.
 * `updatedAt` is only ever in listing indexes: inside a unique index it would stop enforcing uniqueness.
 */
export const prospectsAndChats: Migration = {
  name: '0001-prospects-and-chats',
  async up({ db }) {
    await db.collection('records').createIndexes([
      { key: { tableSlug: 1, c_name: 1, 'data.number': 1 }, name: 'records_prospect_number_unique', unique: true },
      { key: { c_name: 1, tableSlug: 1, updatedAt: -1 }, name: 'records_listing' },
    ]);
    await db.collection('whatsappchats').createIndexes([
      { key: { phone: 1, 'session.name': 1 }, name: 'chats_phone_session_unique', unique: true },
      { key: { 'session.name': 1, updatedAt: -1 }, name: 'chats_session_listing' },
    ]);
  },
};
