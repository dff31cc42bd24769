import type { Migration } from '../migration';

/** Sessions are listed per company and resumed at boot by desire; both read through an index on any server. */
export const sessionIndexes: Migration = {
  name: '0002-session-indexes',
  async up({ db }) {
    await db.collection('sessions').createIndexes([
      { key: { company: 1, name: 1 }, name: 'sessions_company_listing' },
      { key: { desired: 1, lastActivityAt: -1 }, name: 'sessions_resume_order' },
    ]);
  },
};
