import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { Types } from 'mongoose';
import { InboundIngestService } from '../src/conversations/inbound-ingest.service';
import { MessagesRepository } from '../src/conversations/messages.repository';
import { ProspectUpsertBatcher } from '../src/prospects/prospect-upsert-batcher.service';
import type { InboundMessage } from '../src/providers/provider-events';
import { SimulatorAdapter } from '../src/providers/simulator/simulator.adapter';
import { SessionManager } from '../src/sessions/session-manager.service';
import { CompaniesService } from '../src/tenancy/companies.service';
import { TenantConnectionPool } from '../src/tenancy/tenant-connection-pool.service';
import { startTestApp, type TestApp } from './support/test-app';

const COMPANIES = ['mitsubishi', 'diocsa', 'simple-green', 'quicklearning'];
const SESSIONS = ['one', 'two', 'three'];
const SENDERS = 10;
const PER_SESSION = 60;

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const sender = (company: number, i: number) => `+5255${String(30_000_000 + company * 1_000 + i)}`;

describe('inbound messages, exactly once (simulator sessions, real database)', () => {
  let t: TestApp;
  const db = (company: string) => t.app.get<Connection>(getConnectionToken()).useDb(`${t.run}_${company.replace(/-/g, '_')}`).db!;

  beforeAll(async () => {
    t = await startTestApp({ SESSIONS_PROVIDER_OVERRIDE: 'simulator', SESSIONS_MAX_WHATSAPP_WEB: '12' });
  });
  afterAll(() => t.close());

  it('stores every message of twelve sessions under a flood once, with exact chats and prospects, despite redeliveries', async () => {
    const simulator = t.app.get(SimulatorAdapter);
    const manager = t.app.get(SessionManager);
    for (const slug of COMPANIES) {
      const company = await t.app.get(CompaniesService).get(slug);
      for (const name of SESSIONS) {
        await t.admin('post', `/api/v1/companies/${slug}/sessions`).send({ name }).expect(201);
        await simulator.link(company, name);
        await t.admin('post', `/api/v1/companies/${slug}/sessions/${name}/start`).expect(202);
      }
    }
    await until(() => manager.active().length === 12 && manager.active().every((r) => r.status === 'WORKING'));

    const start = Date.now();
    COMPANIES.forEach((slug, c) => {
      for (const name of SESSIONS) {
        for (let i = 0; i < PER_SESSION; i++) {
          const message: InboundMessage = {
            providerMessageId: `${slug}-${name}-${i}`,
            from: sender(c, i % SENDERS),
            to: '+10000000000',
            text: `hello ${i}`,
            timestamp: new Date(start + i),
            senderName: `Sender ${i % SENDERS}`,
          };
          simulator.inject(slug, name, { type: 'message', message });
          if (i % 3 === 0) simulator.inject(slug, name, { type: 'message', message });
        }
      }
    });

    for (const slug of COMPANIES) {
      await until(async () => (await db(slug).collection('messages').countDocuments({})) === SESSIONS.length * PER_SESSION);
    }
    await t.app.get(InboundIngestService).flushAll();
    await t.app.get(ProspectUpsertBatcher).flushAll();
    await until(async () => (await db('quicklearning').collection('messages').countDocuments({ derived: false })) === 0);

    for (const [c, slug] of COMPANIES.entries()) {
      const messages = db(slug).collection('messages');
      expect(await messages.countDocuments({})).toBe(SESSIONS.length * PER_SESSION);
      expect(await messages.countDocuments({ derived: true })).toBe(SESSIONS.length * PER_SESSION);
      expect(await db(slug).collection('whatsappchats').countDocuments({})).toBe(SESSIONS.length * SENDERS);
      const prospects = await db(slug).collection('records').find({ tableSlug: 'prospectos' }).toArray();
      expect(prospects.map((p) => p.data.number).sort()).toEqual(Array.from({ length: SENDERS }, (_, i) => sender(c, i)).sort());
      expect(prospects.every((p) => p.data.name?.startsWith('Sender ') && p.data.firstSource?.startsWith('whatsapp:'))).toBe(true);
      const chat = await db(slug).collection('whatsappchats').findOne({ phone: sender(c, 9), 'session.name': 'two' });
      expect(chat?.lastMessage.text).toBe(`hello ${PER_SESSION - 1}`);
    }
  });

  it('lists a session chats and a chat messages newest first with cursors', async () => {
    const key = await t.createCompanyKey('diocsa');
    const chats = await t.as(key, 'get', '/api/v1/companies/diocsa/sessions/one/chats?limit=4').expect(200);
    expect(chats.body.items).toHaveLength(4);
    const more = await t.as(key, 'get', `/api/v1/companies/diocsa/sessions/one/chats?limit=100&cursor=${chats.body.nextCursor}`).expect(200);
    expect(new Set([...chats.body.items, ...more.body.items].map((c: { phone: string }) => c.phone)).size).toBe(SENDERS);

    const phone = encodeURIComponent(sender(1, 3));
    const first = await t.as(key, 'get', `/api/v1/companies/diocsa/sessions/one/chats/${phone}/messages?limit=2`).expect(200);
    expect(first.body.items.map((m: { text: string }) => m.text)).toEqual([`hello 53`, `hello 43`]);
    const next = await t.as(key, 'get', `/api/v1/companies/diocsa/sessions/one/chats/${phone}/messages?limit=10&cursor=${first.body.nextCursor}`).expect(200);
    expect(next.body.items.map((m: { text: string }) => m.text)).toEqual(['hello 33', 'hello 23', 'hello 13', 'hello 3']);
    expect(next.body.nextCursor).toBeNull();
    await t.as(key, 'get', '/api/v1/companies/diocsa/sessions/nope/chats').expect(404);
  });

  it('keys a WhatsApp-style +521 sender and its E.164 form to one chat', async () => {
    const company = await t.app.get(CompaniesService).get('mitsubishi');
    const ingest = t.app.get(InboundIngestService);
    const base = { to: '+10000000000', timestamp: new Date() };
    await ingest.ingest(company, 'one', { ...base, providerMessageId: 'mx-1', from: '+5215511112222', text: 'a' });
    await ingest.ingest(company, 'one', { ...base, providerMessageId: 'mx-2', from: '+525511112222', text: 'b' });
    expect(await db('mitsubishi').collection('whatsappchats').countDocuments({ phone: '+525511112222' })).toBe(1);
    expect(await db('mitsubishi').collection('messages').countDocuments({ phone: '+525511112222' })).toBe(2);
  });

  it('replays chat and prospect updates for messages a crash left underived', async () => {
    const company = await t.app.get(CompaniesService).get('simple-green');
    const tenant = t.app.get(TenantConnectionPool).contextFor(company);
    const phone = '+525599887766';
    await t.app.get(MessagesRepository).insertMany(
      tenant,
      [{ id: new Types.ObjectId(), session: 'crashed', providerMessageId: 'X1', direction: 'inbound', phone, from: phone, to: '+10000000000', text: 'before crash', timestamp: new Date() }],
      false,
    );
    expect(await t.app.get(InboundIngestService).recover(company)).toBe(1);
    expect(await db('simple-green').collection('whatsappchats').countDocuments({ phone, 'session.name': 'crashed' })).toBe(1);
    expect(await db('simple-green').collection('records').countDocuments({ 'data.number': phone })).toBe(1);
    expect(await db('simple-green').collection('messages').countDocuments({ derived: false })).toBe(0);
    expect(await t.app.get(InboundIngestService).recover(company)).toBe(0);
  });
});
