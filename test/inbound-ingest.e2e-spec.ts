import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { Types } from 'mongoose';
import { MessagesRepository } from '../src/conversations/messages.repository';
import { DeriveRecovery } from '../src/ingest/derive-recovery.service';
import { DeriveWatermarkRepository } from '../src/ingest/derive-watermark.repository';
import { InboundIntake } from '../src/ingest/inbound-intake.service';
import type { InboundMessage } from '../src/providers/provider-events';
import { SimulatorAdapter } from '../src/providers/simulator/simulator.adapter';
import { SessionManager } from '../src/sessions/session-manager.service';
import { CompaniesService } from '../src/tenancy/companies.service';
import { TenantConnectionPool } from '../src/tenancy/tenant-connection-pool.service';
import { startTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';

const COMPANIES = ['mitsubishi', 'diocsa', 'simple-green', 'quicklearning'];
const SESSIONS = ['one', 'two', 'three'];
const SENDERS = 10;
const PER_SESSION = 60;

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
    await until(() => manager.active().length === 12 && manager.active().every((r) => r.status === 'WORKING'), { what: '12 sessions working' });

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
      await until(async () => (await db(slug).collection('messages').countDocuments({})) === SESSIONS.length * PER_SESSION, {
        what: `${slug} messages stored`,
      });
    }
    await t.app.get(InboundIntake).flushAll();

    for (const [c, slug] of COMPANIES.entries()) {
      const messages = db(slug).collection('messages');
      expect(await messages.countDocuments({})).toBe(SESSIONS.length * PER_SESSION);
      expect(await db(slug).collection('whatsappchats').countDocuments({})).toBe(SESSIONS.length * SENDERS);
      const prospects = await db(slug).collection('records').find({ tableSlug: 'prospectos' }).toArray();
      expect(prospects.map((p) => p.data.number).sort()).toEqual(Array.from({ length: SENDERS }, (_, i) => sender(c, i)).sort());
      expect(prospects.every((p) => p.data.name?.startsWith('Sender ') && p.data.firstSource?.startsWith('whatsapp:'))).toBe(true);
      const chat = await db(slug)
        .collection('whatsappchats')
        .findOne({ phone: sender(c, 9), 'session.name': 'two' });
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
    const intake = t.app.get(InboundIntake);
    const base = { to: '+10000000000', timestamp: new Date() };
    const outcomes = await intake.store(company, 'one', [
      { ...base, providerMessageId: 'mx-1', from: '+5215511112222', text: 'a' },
      { ...base, providerMessageId: 'mx-2', from: '+525511112222', text: 'b' },
    ]);
    expect(outcomes).toEqual([{ result: 'stored' }, { result: 'stored' }]);
    expect(await intake.store(company, 'one', [{ ...base, providerMessageId: 'mx-1', from: '+5215511112222', text: 'a' }])).toEqual([{ result: 'duplicate' }]);
    await intake.flushAll();
    expect(await db('mitsubishi').collection('whatsappchats').countDocuments({ phone: '+525511112222' })).toBe(1);
    expect(await db('mitsubishi').collection('messages').countDocuments({ phone: '+525511112222' })).toBe(2);
  });

  it('replays the chat and prospect updates of a process that died, from its watermark, and leaves live ones alone', async () => {
    const company = await t.app.get(CompaniesService).get('simple-green');
    const tenant = t.app.get(TenantConnectionPool).contextFor(company);
    const watermarks = t.app.get(DeriveWatermarkRepository);
    const phone = '+525599887766';
    const before = new Types.ObjectId();
    await t.app.get(MessagesRepository).insertMany(tenant, [
      {
        id: new Types.ObjectId(),
        session: 'crashed',
        providerMessageId: 'X1',
        direction: 'inbound',
        phone,
        from: phone,
        to: '+10000000000',
        text: 'before crash',
        timestamp: new Date(),
        senderName: 'Ana',
      },
    ]);
    await watermarks.save(tenant, 'dead-process', before, new Date(Date.now() - 3_600_000));
    await watermarks.save(tenant, 'live-process', before, new Date());

    await t.app.get(DeriveRecovery).sweep();

    expect(await db('simple-green').collection('whatsappchats').countDocuments({ phone, 'session.name': 'crashed' })).toBe(1);
    const prospect = await db('simple-green').collection('records').findOne({ 'data.number': phone });
    expect(prospect?.data).toMatchObject({ name: 'Ana', firstSource: 'whatsapp:crashed', lastSession: 'crashed' });
    const owners = (await watermarks.list(tenant)).map((mark) => mark.owner);
    expect(owners).toContain('live-process');
    expect(owners).not.toContain('dead-process');
  });
});

describe('inbound messages the database refuses for good', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SESSIONS_PROVIDER_OVERRIDE: 'simulator' });
  });
  afterAll(() => t.close());

  it('are kept as dead letters with the reason, listed to the company, while the messages around them are stored', async () => {
    const company = await t.app.get(CompaniesService).get('diocsa');
    const base = { from: '+525511223344', to: '+10000000000', timestamp: new Date() };
    const outcomes = await t.app.get(InboundIntake).store(company, 'main', [
      { ...base, providerMessageId: 'ok-1', text: 'fine' },
      { ...base, providerMessageId: 'huge', text: 'x'.repeat(17 * 1024 * 1024) },
      { ...base, providerMessageId: 'ok-2', text: 'fine too' },
    ]);

    expect(outcomes.map((o) => o.result)).toEqual(['stored', 'rejected', 'stored']);
    expect(outcomes[1].reason).toEqual(expect.any(String));
    const key = await t.createCompanyKey('diocsa');
    const listed = await t.as(key, 'get', '/api/v1/companies/diocsa/ingest/dead-letters').expect(200);
    expect(listed.body).toEqual({
      items: [
        {
          id: expect.any(String),
          session: 'main',
          reason: outcomes[1].reason,
          at: expect.any(String),
          message: expect.objectContaining({ providerMessageId: 'huge', textLength: 17 * 1024 * 1024, text: 'x'.repeat(4096) }),
        },
      ],
      nextCursor: null,
    });
    const other = await t.createCompanyKey('mitsubishi');
    await t.as(other, 'get', '/api/v1/companies/diocsa/ingest/dead-letters').expect(403);
    await t.as(key, 'get', '/api/v1/companies/diocsa/ingest/dead-letters?cursor=nope').expect(400);
  });
});
