import type { Migration } from '../migration';

/** Baileys auth state: one document per (session, key type, key id); creds are `type: 'creds', id: 'creds'`. */
export const baileysAuth: Migration = {
  name: '0002-baileys-auth',
  async up({ db }) {
    await db.collection('baileys_auth').createIndexes([{ key: { session: 1, type: 1, id: 1 }, name: 'baileys_auth_session_type_id_unique', unique: true }]);
  },
};
