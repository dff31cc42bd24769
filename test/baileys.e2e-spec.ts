import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Boom } from '@hapi/boom';
import { getConnectionToken } from '@nestjs/mongoose';
import { DisconnectReason, initAuthCreds, proto, type WAMessage } from '@whiskeysockets/baileys';
import type { Connection } from 'mongoose';
import { InboundIntake } from '../src/ingest/inbound-intake.service';
import type { ProviderEvent } from '../src/providers/provider-events';
import type { EmitProviderEvent } from '../src/providers/provider.port';
import { BaileysAuthStateRepository } from '../src/providers/baileys/baileys-auth-state.repository';
import { BaileysAdapter } from '../src/providers/baileys/baileys.adapter';
import type { BaileysClient } from '../src/providers/baileys/baileys.client';
import { useMongoAuthState } from '../src/providers/baileys/mongo-auth-state';
import { SessionManager } from '../src/sessions/session-manager.service';
import type { CompanyRecord } from '../src/tenancy/company';
import { CompaniesService } from '../src/tenancy/companies.service';
import type { TenantContext } from '../src/tenancy/tenant-context';
import { SessionLeaseRepository } from '../src/sessions/session-lease.repository';
import { StaleOwnerError } from '../src/providers/session-fence';
import { settleEventLoop, until } from './support/until';
import { startTestApp, TenantConnectionPool, type TestApp } from './support/test-app';

// `ws` ships with Baileys (no typings installed): only the part this test uses.
interface WsPeer {
  close(): void;
  on(event: 'message', listener: () => void): void;
}
interface WsServer {
  handleUpgrade(request: unknown, socket: Socket, head: Buffer, done: (ws: WsPeer) => void): void;
  close(): void;
}
const { WebSocketServer } = require('ws') as { WebSocketServer: new (options: { noServer: true }) => WsServer };

/**
 * Stands in for WhatsApp's WebSocket: in `close` mode it completes the upgrade and closes at once; in
 * `stall` mode it never answers the upgrade, so the socket stays connecting and sends nothing; in `hold`
 * mode it completes the upgrade and keeps the connection open, answering nothing (`held` is the last one).
 */
class FakeWhatsApp {
  mode: 'close' | 'stall' | 'hold' = 'close';
  upgrades = 0;
  held?: { ws: WsPeer; received: number };
  private readonly http: Server = createServer();
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly stalled = new Set<Socket>();

  async listen(): Promise<string> {
    this.http.on('upgrade', (request, socket: Socket, head: Buffer) => {
      this.upgrades++;
      if (this.mode === 'close') return this.wss.handleUpgrade(request, socket, head, (ws) => ws.close());
      if (this.mode === 'hold') {
        return this.wss.handleUpgrade(request, socket, head, (ws) => {
          const held = { ws, received: 0 };
          ws.on('message', () => held.received++);
          this.held = held;
        });
      }
      this.stalled.add(socket);
      socket.on('close', () => this.stalled.delete(socket));
    });
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    return `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}/ws/chat`;
  }

  async close(): Promise<void> {
    for (const socket of this.stalled) socket.destroy();
    this.wss.close();
    await new Promise((resolve) => this.http.close(resolve));
  }
}

const waitFor = (condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000) => until(condition, { what, timeoutMs, intervalMs: 20 });

describe('baileys (real database, real Baileys, fake WhatsApp server)', () => {
  const whatsapp = new FakeWhatsApp();
  let t: TestApp;
  let company: CompanyRecord;
  let tenant: TenantContext;
  let repository: BaileysAuthStateRepository;

  beforeAll(async () => {
    const url = await whatsapp.listen();
    t = await startTestApp({ BAILEYS_WS_URL: url });
    await t.admin('post', '/api/v1/companies').send({ slug: 'acme', displayName: 'Acme', provider: 'baileys' }).expect(201);
    company = await t.app.get(CompaniesService).get('acme');
    tenant = t.app.get(TenantConnectionPool).contextFor(company);
    repository = t.app.get(BaileysAuthStateRepository);
  });
  afterAll(async () => {
    try {
      await t?.close();
    } finally {
      await whatsapp.close();
    }
  });

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

  describe('adapter', () => {
    function startClient(name: string, emit?: EmitProviderEvent) {
      const events: ProviderEvent[] = [];
      const client = t.app.get(BaileysAdapter).createClient({ company, name }, async (event) => {
        events.push(event);
        await emit?.(event);
      }) as BaileysClient;
      return { client, events };
    }

    it('reports a closed connection as a retryable disconnect and does not reconnect by itself', async () => {
      whatsapp.mode = 'close';
      const before = whatsapp.upgrades;
      const { client, events } = startClient('closing');
      await client.start();
      await waitFor(() => events.some((e) => e.type === 'disconnected'), 'a disconnected event');
      await settleEventLoop();
      expect(whatsapp.upgrades - before).toBe(1);
      expect(events).toEqual([{ type: 'disconnected', reason: 'Connection Terminated (428)', retryable: true }]);
      await client.stop();
      await client.stop();
      expect(client.socketEventsForTest()).toBeUndefined();
    });

    it('maps QR, open, messages (live, appended, ours) and delivery statuses, ignoring groups and broadcasts', async () => {
      whatsapp.mode = 'stall';
      const { client, events } = startClient('mapping');
      await client.start();
      const ev = client.socketEventsForTest()!;
      ev.emit('connection.update', { qr: 'QR-1' });
      ev.emit('creds.update', { me: { id: '5215500000001:7@s.whatsapp.net', name: 'Ventas' } });
      ev.emit('connection.update', { connection: 'open' });
      const at = 1_700_000_000;
      const message = (id: string, key: Partial<WAMessage['key']>, content: proto.IMessage, extra: Partial<WAMessage> = {}): WAMessage =>
        ({ key: { id, fromMe: false, ...key }, message: content, messageTimestamp: at, ...extra }) as WAMessage;
      ev.emit('messages.upsert', {
        type: 'notify',
        messages: [
          message('M1', { remoteJid: '5215512345678@s.whatsapp.net' }, { conversation: 'hola' }, { pushName: 'Ana' }),
          message('M2', { remoteJid: '5215512345678@s.whatsapp.net' }, { extendedTextMessage: { text: 'mira https://x.mx' } }),
          message('M3', { remoteJid: '15551234567@s.whatsapp.net' }, { imageMessage: { caption: 'foto', mimetype: 'image/jpeg', fileLength: 2048 } }),
          message('M4', { remoteJid: '15551234567@s.whatsapp.net' }, { documentMessage: { mimetype: 'application/pdf', fileName: 'cv.pdf' } }),
          message('M5', { remoteJid: '123456789@lid', remoteJidAlt: '5215587654321@s.whatsapp.net' }, { conversation: 'via lid' }),
          message('G1', { remoteJid: '120363000000000000@g.us', participant: '5215512345678@s.whatsapp.net' }, { conversation: 'grupo' }),
          message('B1', { remoteJid: 'status@broadcast', participant: '5215512345678@s.whatsapp.net' }, { conversation: 'estado' }),
          message('F1', { remoteJid: '5215512345678@s.whatsapp.net', fromMe: true }, { conversation: 'mío' }),
        ],
      });
      ev.emit('messages.upsert', { type: 'append', messages: [message('H1', { remoteJid: '5215512345678@s.whatsapp.net' }, { conversation: 'mientras' })] });
      const Status = proto.WebMessageInfo.Status;
      ev.emit(
        'messages.update',
        (
          [
            ['S1', Status.SERVER_ACK],
            ['S2', Status.DELIVERY_ACK],
            ['S3', Status.READ],
            ['S4', Status.PLAYED],
            ['S5', Status.ERROR],
            ['S6', Status.PENDING],
          ] as const
        ).map(([id, status]) => ({ key: { id, remoteJid: '5215512345678@s.whatsapp.net', fromMe: true }, update: { status } })),
      );

      const timestamp = new Date(at * 1000);
      const to = '+5215500000001';
      expect(events.filter((e) => e.type !== 'status')).toEqual([
        { type: 'qr', qr: 'QR-1' },
        { type: 'authenticated' },
        { type: 'ready', phone: to },
        // The LID-addressed chat of M5 names its phone too: reported for the company's lid_mappings.
        { type: 'contact-ids', mappings: [{ lid: '123456789@lid', phone: '+5215587654321' }] },
        { type: 'message', message: { providerMessageId: 'M1', from: '+5215512345678', to, text: 'hola', timestamp, senderName: 'Ana' } },
        { type: 'message', message: { providerMessageId: 'M2', from: '+5215512345678', to, text: 'mira https://x.mx', timestamp } },
        {
          type: 'message',
          message: {
            providerMessageId: 'M3',
            from: '+15551234567',
            to,
            text: 'foto',
            media: { type: 'image', mimeType: 'image/jpeg', sizeBytes: 2048, caption: 'foto' },
            timestamp,
          },
        },
        {
          type: 'message',
          message: {
            providerMessageId: 'M4',
            from: '+15551234567',
            to,
            media: { type: 'document', mimeType: 'application/pdf', fileName: 'cv.pdf' },
            timestamp,
          },
        },
        { type: 'message', message: { providerMessageId: 'M5', from: '+5215587654321', to, text: 'via lid', timestamp } },
        { type: 'message', message: { providerMessageId: 'F1', from: to, to: '+5215512345678', text: 'mío', timestamp, fromMe: true } },
        { type: 'message', message: { providerMessageId: 'H1', from: '+5215512345678', to, text: 'mientras', timestamp } },
      ]);
      expect(events.filter((e) => e.type === 'status').map((e) => e.type === 'status' && [e.providerMessageId, e.status])).toEqual([
        ['S1', 'sent'],
        ['S2', 'delivered'],
        ['S3', 'read'],
        ['S4', 'read'],
        ['S5', 'failed'],
      ]);

      // creds.update is persisted: a fresh store sees who we are.
      await waitFor(async () => (await useMongoAuthState(tenant, 'mapping')).state.creds.me?.id === '5215500000001:7@s.whatsapp.net', 'saved creds');
      await client.stop();
      const count = events.length;
      ev.emit('messages.upsert', { type: 'notify', messages: [message('L1', { remoteJid: '5215512345678@s.whatsapp.net' }, { conversation: 'tarde' })] });
      expect(events).toHaveLength(count);
    });

    it('reports a logout from the phone as logged-out once the auth state is gone', async () => {
      whatsapp.mode = 'stall';
      const { client, events } = startClient('revoked');
      await client.start();
      const ev = client.socketEventsForTest()!;
      ev.emit('creds.update', { me: { id: '5215500000002:1@s.whatsapp.net' } });
      await (await useMongoAuthState(tenant, 'revoked')).state.keys.set({ session: { '1.0': Buffer.from('s') } });
      await waitFor(async () => (await repository.count(tenant, 'revoked')) === 2, 'stored auth state');

      ev.emit('connection.update', {
        connection: 'close',
        lastDisconnect: { error: new Boom('Intentional Logout', { statusCode: DisconnectReason.loggedOut }), date: new Date() },
      });
      await waitFor(() => events.some((e) => e.type === 'logged-out'), 'a logged-out event');
      expect(events).toEqual([{ type: 'logged-out', reason: 'Intentional Logout (401)' }]);
      expect(await repository.count(tenant, 'revoked')).toBe(0);
      await client.stop();
    });

    it('stops reading from the WebSocket while ingest has not taken the messages, and reads on once it has', async () => {
      whatsapp.mode = 'hold';
      whatsapp.held = undefined;
      const slow = Promise.withResolvers<void>();
      const { client, events } = startClient('backpressure', async (event) => {
        if (event.type === 'message' && event.message.providerMessageId === 'SLOW') await slow.promise;
      });
      await client.start();
      await waitFor(() => (whatsapp.held?.received ?? 0) > 0, "the client's hello on an open WebSocket");
      const ev = client.socketEventsForTest()!;
      const upsert = (id: string) =>
        ev.emit('messages.upsert', {
          type: 'notify',
          messages: [
            {
              key: { id, remoteJid: '15551234567@s.whatsapp.net', fromMe: false },
              message: { conversation: id },
              messageTimestamp: 1_700_000_000,
            } as WAMessage,
          ],
        });

      upsert('FAST');
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(client.readPausedForTest()).toBe(false);

      upsert('SLOW');
      await waitFor(() => client.readPausedForTest(), 'reading paused');
      // A close frame the paused client cannot read yet.
      whatsapp.held!.ws.close();
      await settleEventLoop();
      expect(events.filter((e) => e.type !== 'message')).toEqual([]);
      slow.resolve();
      await waitFor(() => events.some((e) => e.type === 'disconnected'), 'the close frame read after resuming');
      expect(client.readPausedForTest()).toBe(false);
      expect(events.filter((e) => e.type === 'message').map((e) => e.type === 'message' && e.message.providerMessageId)).toEqual(['FAST', 'SLOW']);
      await client.stop();
    });

    it('refuses to send or pair when not running, and logout without a socket still clears the auth state', async () => {
      const { client } = startClient('idle');
      await expect(client.send({ to: '+5215512345678', kind: 'text', text: 'hola' })).rejects.toThrow(/not running/);
      await expect(client.requestPairingCode('+5215512345678')).rejects.toThrow(/not running/);
      await (await useMongoAuthState(tenant, 'idle')).saveCreds();
      await client.logout();
      expect(await repository.count(tenant, 'idle')).toBe(0);
    });
  });
  describe('storage through the session manager', () => {
    const session = 'ventas';
    const contact = '15551234567@s.whatsapp.net';
    const contactPhone = '+15551234567';
    const ownPhone = '+5215500000009';
    let client: BaileysClient;
    let ev: NonNullable<ReturnType<BaileysClient['socketEventsForTest']>>;
    const stored = (providerMessageId: string) => tenant.run((db) => db.collection('messages').find({ 'session.name': session, providerMessageId }).toArray());
    const message = (id: string, fromMe: boolean, text: string, remoteJid = contact): WAMessage =>
      ({ key: { id, remoteJid, fromMe }, message: { conversation: text }, messageTimestamp: 1_700_000_100, pushName: fromMe ? 'Ventas' : 'Ana' }) as WAMessage;
    /** What the outbound worker records after a send. */
    const recordSent = (providerMessageId: string, text: string) =>
      t.app.get(InboundIntake).recordSent(company, session, { providerMessageId, from: '', to: contactPhone, text, timestamp: new Date() });
    /** A later message stored means ingest has handled everything emitted before it. */
    async function barrier(id: string): Promise<void> {
      ev.emit('messages.upsert', { type: 'notify', messages: [message(id, false, `barrera ${id}`)] });
      await waitFor(async () => (await stored(id)).length === 1, `barrier ${id} stored`, 15_000);
    }

    beforeAll(async () => {
      whatsapp.mode = 'stall';
      await t.admin('post', '/api/v1/companies/acme/sessions').send({ name: session }).expect(201);
      await t.admin('post', `/api/v1/companies/acme/sessions/${session}/start`).expect(202);
      await waitFor(
        () => !!(t.app.get(SessionManager).runtime('acme', session)?.client as BaileysClient | undefined)?.socketEventsForTest(),
        'a running client',
      );
      client = t.app.get(SessionManager).runtime('acme', session)!.client as BaileysClient;
      ev = client.socketEventsForTest()!;
      ev.emit('creds.update', { me: { id: '5215500000009:2@s.whatsapp.net' } });
      ev.emit('connection.update', { connection: 'open' });
    });
    afterAll(async () => {
      await t.admin('post', `/api/v1/companies/acme/sessions/${session}/stop`).expect(200);
    });

    it("answers a recipient's retry request with the text of a message we sent, and nothing else", async () => {
      await recordSent('API1', 'tu pedido salió');
      const getMessage = client.socketConfigForTest()!.getMessage!;
      expect(await getMessage({ remoteJid: contact, id: 'API1', fromMe: true })).toEqual({ conversation: 'tu pedido salió' });
      expect(await getMessage({ remoteJid: contact, id: 'UNKNOWN', fromMe: true })).toBeUndefined();
    });

    it('stores an append batch once even when replayed, messages typed on the phone as outbound', async () => {
      const batch = [
        message('AP1', false, 'escribí mientras estabas desconectado'),
        message('AP2', true, 'te contesto desde el teléfono'),
        message('AP3', false, 'grupo', '120363000000000000@g.us'),
      ];
      ev.emit('messages.upsert', { type: 'append', messages: batch });
      ev.emit('messages.upsert', { type: 'append', messages: batch });
      await barrier('AP-BARRIER');

      const [inbound] = await stored('AP1');
      const [outbound] = await stored('AP2');
      expect(await stored('AP1')).toHaveLength(1);
      expect(await stored('AP2')).toHaveLength(1);
      expect(await stored('AP3')).toHaveLength(0);
      expect(inbound).toMatchObject({
        direction: 'inbound',
        phone: contactPhone,
        from: contactPhone,
        to: ownPhone,
        text: 'escribí mientras estabas desconectado',
      });
      expect(outbound).toMatchObject({ direction: 'outbound', phone: contactPhone, from: ownPhone, to: contactPhone, text: 'te contesto desde el teléfono' });

      const getMessage = client.socketConfigForTest()!.getMessage!;
      expect(await getMessage({ remoteJid: contact, id: 'AP2', fromMe: true })).toEqual({ conversation: 'te contesto desde el teléfono' });
      expect(await getMessage({ remoteJid: contact, id: 'AP1', fromMe: false })).toBeUndefined();
    });

    it('keeps one copy of a message our outbound worker recorded when WhatsApp reports it as ours too', async () => {
      await recordSent('API2', 'enviado por la API');
      ev.emit('messages.upsert', { type: 'notify', messages: [message('API2', true, 'enviado por la API')] });
      await barrier('API2-BARRIER');
      expect(await stored('API2')).toHaveLength(1);
    });
  });

  describe('session lifecycle against WhatsApp closing the socket (real manager, real Baileys)', () => {
    const base = '/api/v1/companies/acme/sessions';

    /**
     * WhatsApp sends 440 and 403 inside the Noise-encrypted stream, which a local server cannot speak (Baileys checks
     * WhatsApp's certificate), and Baileys 7 leaves a refused upgrade hanging until its connect timeout. So the real
     * socket, connected to the local server, is ended with the very Boom its stream-error and failure handlers raise.
     */
    async function closeWith(name: string, error: Boom): Promise<void> {
      await until(() => !!(t.app.get(SessionManager).runtime('acme', name)?.client as BaileysClient | undefined)?.socketEventsForTest(), {
        what: 'a live socket',
      });
      (t.app.get(SessionManager).runtime('acme', name)!.client as BaileysClient).endSocketForTest(error);
    }

    it('yields on 440 and fails on 403, each without a single retry', async () => {
      whatsapp.mode = 'stall';
      await t.admin('post', base).send({ name: 'closing-codes' }).expect(201);
      const manager = t.app.get(SessionManager);

      let before = whatsapp.upgrades;
      await t.admin('post', `${base}/closing-codes/start`).expect(202);
      await closeWith('closing-codes', new Boom('Stream Errored (conflict)', { statusCode: DisconnectReason.connectionReplaced }));
      await until(async () => (await t.admin('get', `${base}/closing-codes`)).body.status === 'STOPPED', { what: 'STOPPED after 440' });
      const replaced = (await t.admin('get', `${base}/closing-codes`).expect(200)).body;
      expect(replaced).toMatchObject({ desired: 'stopped', owner: null });
      expect(replaced.reason).toMatch(/yielded: replaced by another connection.*\(440\)/);
      expect(whatsapp.upgrades - before).toBe(1);
      const runtime = manager.runtime('acme', 'closing-codes')!;
      expect([runtime.client, runtime.reconnectTimer, runtime.lease]).toEqual([undefined, undefined, undefined]);

      before = whatsapp.upgrades;
      await t.admin('post', `${base}/closing-codes/start`).expect(202);
      await closeWith('closing-codes', new Boom('Connection Failure', { statusCode: DisconnectReason.forbidden }));
      await until(async () => (await t.admin('get', `${base}/closing-codes`)).body.status === 'FAILED', { what: 'FAILED after 403' });
      const banned = (await t.admin('get', `${base}/closing-codes`).expect(200)).body;
      expect(banned.reason).toMatch(/banned by WhatsApp.*\(403\)/);
      expect(banned.owner).toBeNull();
      expect(whatsapp.upgrades - before).toBe(1);
      expect([runtime.client, runtime.reconnectTimer, runtime.lease]).toEqual([undefined, undefined, undefined]);
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
