import { Boom } from '@hapi/boom';
import { DisconnectReason, proto, type WAMessage } from '@whiskeysockets/baileys';
import type { BaileysAuthStateRepository } from '../src/providers/baileys/baileys-auth-state.repository';
import { BaileysAdapter } from '../src/providers/baileys/baileys.adapter';
import type { BaileysClient } from '../src/providers/baileys/baileys.client';
import { useMongoAuthState } from '../src/providers/baileys/mongo-auth-state';
import type { ProviderEvent } from '../src/providers/provider-events';
import type { EmitProviderEvent } from '../src/providers/provider.port';
import type { CompanyRecord } from '../src/tenancy/company';
import type { TenantContext } from '../src/tenancy/tenant-context';
import { startBaileysApp, stopBaileysApp, waitFor } from './support/baileys-harness';
import { FakeWhatsApp } from './support/fake-whatsapp';
import type { TestApp } from './support/test-app';
import { settleEventLoop } from './support/until';

/** One Baileys client made by the adapter, against the fake server: what its socket's events become, and when it reads. */
describe('baileys (real database, real Baileys, fake WhatsApp server)', () => {
  const whatsapp = new FakeWhatsApp();
  let t: TestApp;
  let company: CompanyRecord;
  let tenant: TenantContext;
  let repository: BaileysAuthStateRepository;

  beforeAll(async () => {
    ({ t, company, tenant, repository } = await startBaileysApp(whatsapp));
  });
  afterAll(() => stopBaileysApp(whatsapp, t));

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
});
