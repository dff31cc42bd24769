import { createServer, type Server, type Socket } from 'node:net';
import type { Client, Message } from 'whatsapp-web.js';
import { InboundIntake } from '../src/ingest/inbound-intake.service';
import type { ProviderEvent } from '../src/providers/provider-events';
import { WhatsappWebAdapter } from '../src/providers/whatsapp-web/whatsapp-web.adapter';
import type { WhatsappWebClient } from '../src/providers/whatsapp-web/whatsapp-web.client';
import { SessionManager } from '../src/sessions/session-manager.service';
import type { CompanyRecord } from '../src/tenancy/company';
import { CompaniesService } from '../src/tenancy/companies.service';
import type { TenantContext } from '../src/tenancy/tenant-context';
import { settleEventLoop, until } from './support/until';
import { startTestApp, TenantConnectionPool, type TestApp } from './support/test-app';

// The library exports its Message class, which its typings declare as an interface only.
const { Message: LibraryMessage } = require('whatsapp-web.js') as { Message: new (client: Client, data: object) => Message };

/** Accepts connections and never answers: WhatsApp Web's page never loads, so the browser stays up until stopped. */
async function stallingServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const OWN = '14155550100@c.us';
const CONTACT = '14155550123@c.us';

/**
 * A message as the page reports it (the model `window.WWebJS.getMessageModel` hands to `onAddMessageEvent`),
 * wrapped by the library's own `Message` class.
 */
function pageMessage(client: Client, id: string, fromMe: boolean, body: string, chat = CONTACT): Message {
  const remote = chat;
  return new LibraryMessage(client, {
    id: { fromMe, remote, id, _serialized: `${fromMe}_${remote}_${id}` },
    from: fromMe ? OWN : chat,
    to: fromMe ? chat : OWN,
    body,
    type: 'chat',
    t: 1_700_000_200,
    notifyName: fromMe ? 'Ventas' : 'Ana',
  });
}

/** What the library does for a new message: `message_create` for every one, then `message` for those from others. */
function report(client: Client, message: Message): void {
  client.emit('message_create', message);
  if (!message.fromMe) client.emit('message', message);
}

describe('whatsapp-web messages (real whatsapp-web.js client and Chromium, page events replayed, real database)', () => {
  let t: TestApp;
  let stall: Awaited<ReturnType<typeof stallingServer>>;
  let company: CompanyRecord;
  let tenant: TenantContext;

  beforeAll(async () => {
    stall = await stallingServer();
    t = await startTestApp({ CHROMIUM_HOST_RESOLVER_RULES: `MAP web.whatsapp.com 127.0.0.1:${stall.port}, MAP * ~NOTFOUND` });
    // Through the API, which runs the company's migrations: the unique (session, provider id) key among them.
    await t.admin('post', '/api/v1/companies').send({ slug: 'wwmsg', displayName: 'Mensajes', provider: 'whatsapp-web' }).expect(201);
    company = await t.app.get(CompaniesService).get('wwmsg');
    tenant = t.app.get(TenantConnectionPool).contextFor(company);
  });
  afterAll(async () => {
    try {
      await t?.close();
    } finally {
      await stall?.close();
    }
  });

  it('hands messages over one at a time, in order, waiting while ingest has not taken one', async () => {
    const seen: string[] = [];
    const held = Promise.withResolvers<void>();
    const client = t.app.get(WhatsappWebAdapter).createClient({ company, name: 'order' }, async (event: ProviderEvent) => {
      if (event.type !== 'message') return;
      seen.push(event.message.providerMessageId);
      if (event.message.text === 'primero') await held.promise;
    }) as WhatsappWebClient;
    try {
      await client.start();
      const library = client.libraryClientForTest()!;
      report(library, pageMessage(library, 'O1', false, 'primero'));
      report(library, pageMessage(library, 'O2', true, 'segundo'));
      report(library, pageMessage(library, 'O3', false, 'tercero'));
      await until(() => seen.length === 1, { what: 'the first message' });
      await settleEventLoop();
      expect(seen).toEqual([`false_${CONTACT}_O1`]);
      held.resolve();
      await until(() => seen.length === 3, { what: 'the rest' });
      expect(seen).toEqual([`false_${CONTACT}_O1`, `true_${CONTACT}_O2`, `false_${CONTACT}_O3`]);
    } finally {
      await client.stop();
    }
  });

  describe('through the session manager into the messages collection', () => {
    const session = 'ventas';
    let library: Client;
    const stored = (providerMessageId: string) => tenant.run((db) => db.collection('messages').find({ 'session.name': session, providerMessageId }).toArray());
    /** A later message stored means ingest has handled everything reported before it. */
    async function barrier(id: string): Promise<void> {
      report(library, pageMessage(library, id, false, `barrera ${id}`));
      await until(async () => (await stored(`false_${CONTACT}_${id}`)).length === 1, { what: `barrier ${id} stored` });
    }

    beforeAll(async () => {
      await t.admin('post', `/api/v1/companies/${company.slug}/sessions`).send({ name: session }).expect(201);
      await t.admin('post', `/api/v1/companies/${company.slug}/sessions/${session}/start`).expect(202);
      const running = () => (t.app.get(SessionManager).runtime(company.slug, session)?.client as WhatsappWebClient | undefined)?.libraryClientForTest();
      await until(() => !!running(), { what: 'a running whatsapp-web.js client' });
      library = running()!;
    });
    afterAll(async () => {
      await t.admin('post', `/api/v1/companies/${company.slug}/sessions/${session}/stop`).expect(200);
    });

    it('stores a message typed on the phone as outbound in its conversation, once, and skips our group messages', async () => {
      const typed = pageMessage(library, 'PHONE1', true, 'te escribo desde el teléfono');
      report(library, typed);
      report(library, typed);
      report(library, pageMessage(library, 'GROUP1', true, 'al grupo', '120363000000000000@g.us'));
      report(library, pageMessage(library, 'IN1', false, 'hola'));
      await barrier('BARRIER1');

      const outbound = await stored(`true_${CONTACT}_PHONE1`);
      expect(outbound).toHaveLength(1);
      expect(outbound[0]).toMatchObject({
        direction: 'outbound',
        phone: '+14155550123',
        from: '+14155550100',
        to: '+14155550123',
        text: 'te escribo desde el teléfono',
      });
      const inbound = await stored(`false_${CONTACT}_IN1`);
      expect(inbound).toHaveLength(1);
      expect(inbound[0]).toMatchObject({ direction: 'inbound', phone: '+14155550123', from: '+14155550123', text: 'hola' });
      expect(await stored(`true_120363000000000000@g.us_GROUP1`)).toHaveLength(0);
    });

    it('keeps one copy of a message our outbound worker recorded when the page reports it as ours too', async () => {
      const sent = pageMessage(library, 'API1', true, 'enviado por la API');
      await t.app.get(InboundIntake).recordSent(company, session, {
        providerMessageId: sent.id._serialized,
        from: '',
        to: '+14155550123',
        text: 'enviado por la API',
        timestamp: new Date(),
      });
      report(library, sent);
      await barrier('BARRIER2');
      expect(await stored(sent.id._serialized)).toHaveLength(1);
    });
  });
});
