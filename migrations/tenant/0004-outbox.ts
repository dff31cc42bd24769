import type { Migration } from '../migration';

/**
 * Outbound messages, stored as `queued` before anything is sent. The idempotency key is unique per
 * session (a generated one when the client sends none), so a repeated request finds its message.
 */
export const outbox: Migration = {
  name: '0004-outbox',
  async up({ db }) {
    await db.collection('outbox').createIndexes([
      { key: { 'session.name': 1, idempotencyKey: 1 }, name: 'outbox_idempotency_unique', unique: true },
      { key: { status: 1, nextAttemptAt: 1 }, name: 'outbox_due' },
      { key: { providerMessageId: 1 }, name: 'outbox_provider_id' },
    ]);
  },
};
