import type { Migration } from '../migration';

/**
 * The listings page by (date, `_id`), so `_id` joins their indexes and MongoDB never sorts a page in
 * memory; the outbox gets an index for claimed batches (by lease) and for waking a session's queue.
 * The old listing indexes are dropped once their replacements exist.
 */
export const listingTiebreaksAndOutboxClaims: Migration = {
  name: '0005-listing-tiebreaks-and-outbox-claims',
  async up({ db }) {
    const replace = async (collection: string, drop: string, key: Record<string, 1 | -1>, name: string) => {
      await db.collection(collection).createIndex(key, { name });
      await db
        .collection(collection)
        .dropIndex(drop)
        .catch((error: { codeName?: string; code?: number }) => {
          if (error.codeName !== 'IndexNotFound' && error.code !== 27) throw error;
        });
    };
    await replace('records', 'records_listing', { c_name: 1, tableSlug: 1, updatedAt: -1, _id: -1 }, 'records_listing_by_update');
    await replace('whatsappchats', 'chats_session_listing', { 'session.name': 1, updatedAt: -1, _id: -1 }, 'chats_session_listing_by_update');
    await replace('messages', 'messages_chat_listing', { 'session.name': 1, phone: 1, timestamp: -1, _id: -1 }, 'messages_chat_listing_by_time');
    await db.collection('outbox').createIndexes([
      { key: { lease: 1, status: 1, createdAt: 1, _id: 1 }, name: 'outbox_claimed_batch' },
      { key: { 'session.name': 1, status: 1, nextAttemptAt: 1 }, name: 'outbox_session_queue' },
      { key: { 'session.name': 1, status: 1, leaseUntil: 1 }, name: 'outbox_session_leases' },
    ]);
  },
};
