import { Boom } from '@hapi/boom';
import { DisconnectReason, type WAMessage } from '@whiskeysockets/baileys';
import { InboundIntake } from '../src/ingest/inbound-intake.service';
import type { BaileysClient } from '../src/providers/baileys/baileys.client';
import { SessionManager } from '../src/sessions/session-manager.service';
import type { CompanyRecord } from '../src/tenancy/company';
import type { TenantContext } from '../src/tenancy/tenant-context';
import { startBaileysApp, stopBaileysApp, waitFor } from './support/baileys-harness';
import { FakeWhatsApp } from './support/fake-whatsapp';
import type { TestApp } from './support/test-app';
import { until } from './support/until';

/** Baileys sessions run by the real session manager: what they store, and how they end when WhatsApp closes the socket. */
describe('baileys (real database, real Baileys, fake WhatsApp server)', () => {
  const whatsapp = new FakeWhatsApp();
  let t: TestApp;
  let company: CompanyRecord;
  let tenant: TenantContext;

  beforeAll(async () => {
    ({ t, company, tenant } = await startBaileysApp(whatsapp));
  });
  afterAll(() => stopBaileysApp(whatsapp, t));

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
});
