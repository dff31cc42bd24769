import { getConnectionToken } from '@nestjs/mongoose';
import { initAuthCreds, proto } from '@whiskeysockets/baileys';
import type { Connection } from 'mongoose';
import { BaileysAuthStateRepository } from '../src/providers/baileys/baileys-auth-state.repository';
import { useMongoAuthState } from '../src/providers/baileys/mongo-auth-state';
import { StaleOwnerError } from '../src/providers/session-fence';
import { SessionLeaseRepository } from '../src/sessions/session-lease.repository';
import { CompaniesService } from '../src/tenancy/companies.service';
import type { TenantContext } from '../src/tenancy/tenant-context';
import { startBaileysApp, stopBaileysApp } from './support/baileys-harness';
import { FakeWhatsApp } from './support/fake-whatsapp';
import type { TestApp } from './support/test-app';

/** Baileys' auth state in the company database: the store itself, and fencing a stale owner's writes. */
describe('baileys (real database, real Baileys, fake WhatsApp server)', () => {
  const whatsapp = new FakeWhatsApp();
  let t: TestApp;
  let tenant: TenantContext;
  let repository: BaileysAuthStateRepository;

  beforeAll(async () => {
    ({ t, tenant, repository } = await startBaileysApp(whatsapp));
  });
  afterAll(() => stopBaileysApp(whatsapp, t));

  describe('auth state store', () => {
    it('has the unique (session, type, id) index in every company database, from migration 0002', async () => {
      const control = t.app.get<Connection>(getConnectionToken());
      for (const { dbName } of await t.app.get(CompaniesService).list()) {
        const indexes = await control.useDb(dbName).db!.collection('baileys_auth').listIndexes().toArray();
        const unique = indexes.find((index) => index.name === 'baileys_auth_session_type_id_unique');
        expect({ db: dbName, key: Object.entries(unique?.key ?? {}), unique: unique?.unique }).toEqual({
          db: dbName,
          key: [
            ['session', 1],
            ['type', 1],
            ['id', 1],
          ],
          unique: true,
        });
      }
    });

    it('round-trips creds, Buffers included, through the database into a fresh store', async () => {
      const first = await useMongoAuthState(tenant, 'creds-trip');
      expect(Buffer.isBuffer(first.state.creds.noiseKey.public)).toBe(true);
      first.state.creds.me = { id: '5215512345678:3@s.whatsapp.net', name: 'Ventas' };
      await first.saveCreds();

      const fresh = await useMongoAuthState(tenant, 'creds-trip');
      expect(fresh.state.creds).toEqual(first.state.creds);
      expect(Buffer.isBuffer(fresh.state.creds.signedIdentityKey.private)).toBe(true);
      expect(fresh.state.creds.signedPreKey.signature).toEqual(first.state.creds.signedPreKey.signature);
      expect(fresh.state.creds).not.toEqual(initAuthCreds());
    });

    it('round-trips signal keys, writing one keys.set as one batch and serving repeated reads from memory', async () => {
      const spied = new BaileysAuthStateRepository();
      const write = jest.spyOn(spied, 'write');
      const store = await useMongoAuthState(tenant, 'keys-trip', { repository: spied });
      const preKeys = {
        '1': { public: Buffer.from('pub-1'), private: Buffer.from('priv-1') },
        '2': { public: Buffer.from('pub-2'), private: Buffer.from('priv-2') },
      };
      const session = new Uint8Array(Buffer.from('session-record'));
      const syncKey = { keyData: Buffer.from('app-state-key'), fingerprint: { rawId: 7, currentIndex: 1, deviceIndexes: [0, 1] }, timestamp: 1_700_000_000 };
      await store.state.keys.set({ 'pre-key': preKeys, session: { '5215512345678.0': session }, 'app-state-sync-key': { AAAAAAA: syncKey } });
      expect(write).toHaveBeenCalledTimes(1);
      expect(write.mock.calls[0][2]).toHaveLength(4);

      const find = jest.spyOn(spied, 'find');
      expect(await store.state.keys.get('pre-key', ['1', '2'])).toEqual(preKeys);
      expect(find).not.toHaveBeenCalled();

      const fresh = await useMongoAuthState(tenant, 'keys-trip');
      expect(await fresh.state.keys.get('pre-key', ['1', '2', '3'])).toEqual(preKeys);
      const sessions = await fresh.state.keys.get('session', ['5215512345678.0']);
      expect(Buffer.from(sessions['5215512345678.0'])).toEqual(Buffer.from('session-record'));
      const sync = (await fresh.state.keys.get('app-state-sync-key', ['AAAAAAA'])).AAAAAAA;
      expect(sync).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
      expect(Buffer.from(sync.keyData!)).toEqual(syncKey.keyData);
      expect(sync.fingerprint?.deviceIndexes).toEqual([0, 1]);

      const cold = new BaileysAuthStateRepository();
      const coldFind = jest.spyOn(cold, 'find');
      const coldStore = await useMongoAuthState(tenant, 'keys-trip', { repository: cold });
      coldFind.mockClear();
      await coldStore.state.keys.get('pre-key', ['1', '404']);
      await coldStore.state.keys.get('pre-key', ['1', '404']);
      expect(coldFind).toHaveBeenCalledTimes(1);
    });

    it('deletes a key set to null', async () => {
      const store = await useMongoAuthState(tenant, 'null-delete');
      await store.state.keys.set({
        'pre-key': { '1': { public: Buffer.from('a'), private: Buffer.from('b') }, '2': { public: Buffer.from('c'), private: Buffer.from('d') } },
      });
      await store.state.keys.set({ 'pre-key': { '1': null } });
      expect(Object.keys(await store.state.keys.get('pre-key', ['1', '2']))).toEqual(['2']);
      const fresh = await useMongoAuthState(tenant, 'null-delete');
      expect(Object.keys(await fresh.state.keys.get('pre-key', ['1', '2']))).toEqual(['2']);
      expect(await repository.count(tenant, 'null-delete')).toBe(1);
    });

    it('clears every document of its own session and nothing of another', async () => {
      const mine = await useMongoAuthState(tenant, 'clear-mine');
      const other = await useMongoAuthState(tenant, 'clear-other');
      for (const store of [mine, other]) {
        await store.saveCreds();
        await store.state.keys.set({ 'pre-key': { '1': { public: Buffer.from('p'), private: Buffer.from('q') } }, session: { '1.0': Buffer.from('s') } });
      }
      await mine.clear();
      expect(await repository.count(tenant, 'clear-mine')).toBe(0);
      expect(await mine.state.keys.get('pre-key', ['1'])).toEqual({});
      expect(await repository.count(tenant, 'clear-other')).toBe(3);
      expect(Object.keys(await (await useMongoAuthState(tenant, 'clear-other')).state.keys.get('session', ['1.0']))).toEqual(['1.0']);
    });
  });

  describe('fencing', () => {
    it("refuses a stale owner's auth-state writes once another process took the session over", async () => {
      await t.admin('post', '/api/v1/companies/acme/sessions').send({ name: 'fenced' }).expect(201);
      const leases = t.app.get(SessionLeaseRepository);
      const old = (await leases.claim('acme', 'fenced', 'process-old', new Date(), 60_000))!;
      const fenceOf = (lease: { owner: string; token: number }) => ({
        ...lease,
        assertCurrent: async () => {
          if (!(await leases.isCurrent('acme', 'fenced', lease))) throw new StaleOwnerError('fenced', lease.token);
        },
      });
      const stale = await useMongoAuthState(tenant, 'fenced', { fence: fenceOf(old) });
      await stale.saveCreds();
      await stale.state.keys.set({ 'pre-key': { '1': { public: Buffer.from('old'), private: Buffer.from('old') } } });

      // The old owner stops renewing; once its lease has expired another process takes over (token + 1).
      expect(await leases.claim('acme', 'fenced', 'process-new', new Date(), 60_000)).toBeNull();
      const taken = (await leases.claim('acme', 'fenced', 'process-new', new Date(Date.now() + 120_000), 60_000))!;
      expect(taken.token).toBe(old.token + 1);
      const current = await useMongoAuthState(tenant, 'fenced', { fence: fenceOf(taken) });
      await current.state.keys.set({ 'pre-key': { '1': { public: Buffer.from('new'), private: Buffer.from('new') } } });

      await expect(stale.saveCreds()).rejects.toThrow(StaleOwnerError);
      await expect(stale.state.keys.set({ 'pre-key': { '1': null, '2': { public: Buffer.from('x'), private: Buffer.from('x') } } })).rejects.toThrow(
        StaleOwnerError,
      );
      // Even a write that slipped past the lease check cannot overwrite what the new owner wrote.
      await expect(
        repository.write(tenant, 'fenced', [{ type: 'pre-key', id: '1', value: 'stale' }], { ...fenceOf(old), assertCurrent: async () => undefined }),
      ).rejects.toThrow(StaleOwnerError);
      const fresh = await useMongoAuthState(tenant, 'fenced');
      expect(Buffer.from((await fresh.state.keys.get('pre-key', ['1']))['1'].public)).toEqual(Buffer.from('new'));
      expect(await fresh.state.keys.get('pre-key', ['2'])).toEqual({});
    });
  });
});
