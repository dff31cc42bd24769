import type { Migration } from '../migration';

/** Sessions are listed and counted per company (by status), claimed by desire and renewed by owner; each read has its index. */
export const sessionIndexes: Migration = {
  name: '0002-session-indexes',
  async up({ db }) {
    await db.collection('sessions').createIndexes([
      { key: { company: 1, name: 1 }, name: 'sessions_company_listing' },
      { key: { company: 1, status: 1 }, name: 'sessions_company_status' },
      { key: { desired: 1, lastActivityAt: -1 }, name: 'sessions_resume_order' },
      { key: { owner: 1 }, name: 'sessions_owner' },
    ]);
  },
};
