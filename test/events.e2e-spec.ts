import { randomUUID } from 'node:crypto';
import { EventLogReader } from '../src/events/event-log.reader';
import { EventLog } from '../src/events/event-log.service';
import type { EventDraft, LoggedEvent } from '../src/events/event-types';
import { CompanyEventAppender } from '../src/events/company-event-appender';
import { EventLogTip } from '../src/events/event-log-tip';
import { EventPageRepository } from '../src/events/event-page.repository';
import { DurableRetry } from '../src/core/database/durable-retry';
import { EventRetention } from '../src/events/event-retention.service';
import { CompaniesService } from '../src/tenancy/companies.service';
import { TenantConnectionPool } from '../src/tenancy/tenant-connection-pool.service';
import { startTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';

const base = (company: string) => `/api/v1/companies/${company}`;

/** Every event of the company from `after` on, page by page through the API. */
async function readAll(t: TestApp, company: string, after = 0, limit = 1000): Promise<LoggedEvent[]> {
  const events: LoggedEvent[] = [];
  for (let cursor = after; ;) {
    const { body } = await t.admin('get', `${base(company)}/events?after=${cursor}&limit=${limit}`).expect(200);
    events.push(...(body.events as LoggedEvent[]));
    if (body.next === cursor) return events;
    cursor = body.next as number;
  }
}

const draft = (key: string, session = 'one'): EventDraft => ({ key, type: 'session.status', session, occurredAt: new Date(), data: { key } });

describe('event log (real database, real HTTP)', () => {
  let t: TestApp;

  async function startWithSessions(app: TestApp, company: string, sessions: string[]): Promise<void> {
    for (const name of sessions) {
      await app
        .admin('post', `${base(company)}/sessions`)
        .send({ name })
        .expect(201);
      await app.admin('post', `${base(company)}/sessions/${name}/start`).expect(202);
      await app.admin('post', `/simulator/companies/${company}/sessions/${name}/scan`).expect(204);
    }
    await until(
      async () => {
        const { body } = await app.admin('get', `${base(company)}/sessions`).expect(200);
        return (body as Array<{ status: string }>).filter((s) => s.status === 'WORKING').length === sessions.length;
      },
      { what: `${company} sessions working` },
    );
  }

  const inbound = (app: TestApp, company: string, session: string, ids: string[], from = '+525512345678') =>
    app
      .admin('post', `/simulator/companies/${company}/sessions/${session}/inbound`)
      .send({ messages: ids.map((id) => ({ providerMessageId: id, from, text: `texto ${id}`, senderName: 'Ana' })) })
      .expect(200);

  beforeAll(async () => {
    t = await startTestApp({ SESSIONS_PROVIDER_OVERRIDE: 'simulator', SESSIONS_MAX_WHATSAPP_WEB: '10' });
    for (const slug of ['ev-a', 'ev-b']) await t.admin('post', '/api/v1/companies').send({ slug, displayName: slug, provider: 'whatsapp-web' }).expect(201);
    await startWithSessions(t, 'ev-a', ['one', 'two']);
  });
  afterAll(() => t.close());

  it('logs each stored message, prospect and session change once, in order, with increasing cursors', async () => {
    await inbound(t, 'ev-a', 'one', ['m1', 'm2']);
    await inbound(t, 'ev-a', 'two', ['m3']);
    await inbound(t, 'ev-a', 'one', ['m1']);
    await until(async () => (await readAll(t, 'ev-a')).filter((e) => e.type === 'message.received').length === 3, { what: 'three message events' });
    const events = await readAll(t, 'ev-a');
    const cursors = events.map((e) => e.cursor);
    expect([...cursors].sort((a, b) => a - b)).toEqual(cursors);
    expect(new Set(cursors).size).toBe(cursors.length);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const received = events.filter((e) => e.type === 'message.received');
    expect(received.map((e) => [e.session, e.data.providerMessageId, e.data.text])).toEqual([
      ['one', 'm1', 'texto m1'],
      ['one', 'm2', 'texto m2'],
      ['two', 'm3', 'texto m3'],
    ]);
    expect(received.every((e) => e.company === 'ev-a' && e.id.startsWith('evt_') && !Number.isNaN(Date.parse(e.timestamp)))).toBe(true);
    await until(async () => (await readAll(t, 'ev-a')).some((e) => e.type.startsWith('prospect.')), { what: 'prospect event' });
    const prospects = (await readAll(t, 'ev-a')).filter((e) => e.type.startsWith('prospect.'));
    expect(prospects[0]).toMatchObject({ type: 'prospect.created', data: { number: '+525512345678', name: 'Ana' } });
    const statuses = events.filter((e) => e.type === 'session.status' && e.session === 'one').map((e) => e.data.status);
    expect(statuses).toEqual(expect.arrayContaining(['STARTING', 'WORKING']));
    expect(statuses.indexOf('STARTING')).toBeLessThan(statuses.lastIndexOf('WORKING'));
    expect(events.some((e) => e.type === 'session.qr' && typeof e.data.qr === 'string')).toBe(true);
    const metrics = (await t.admin('get', '/metrics').expect(200)).text;
    expect(metrics).toMatch(/vv_events_appended_total\{company="ev-a",type="message.received"\} 3\b/);
  });

  it('replays exactly the events after a cursor, filtered by type, in pages', async () => {
    const before = await readAll(t, 'ev-a');
    const cursor = before.at(-1)!.cursor;
    await inbound(t, 'ev-a', 'two', ['m4', 'm5', 'm6']);
    await until(async () => (await readAll(t, 'ev-a', cursor)).filter((e) => e.type === 'message.received').length === 3, { what: 'new message events' });
    const since = await readAll(t, 'ev-a', cursor);
    expect(since.every((e) => e.cursor > cursor)).toBe(true);
    const all = await readAll(t, 'ev-a');
    expect(all.slice(0, before.length)).toEqual(before);
    expect(all.slice(before.length, before.length + since.length)).toEqual(since);

    const { body } = await t.admin('get', `${base('ev-a')}/events?after=${cursor}&types=message.received&limit=2`).expect(200);
    expect(body.events.map((e: LoggedEvent) => e.data.providerMessageId)).toEqual(['m4', 'm5']);
    const rest = await t.admin('get', `${base('ev-a')}/events?after=${body.next}&types=message.received`).expect(200);
    expect(rest.body.events.map((e: LoggedEvent) => e.data.providerMessageId)).toEqual(['m6']);
  });

  it('refuses bad queries with a code, and another company key', async () => {
    for (const query of ['after=-1', 'after=abc', 'limit=0', 'limit=5000', 'types=message.deleted']) {
      const { body } = await t.admin('get', `${base('ev-a')}/events?${query}`).expect(400);
      expect(body.code).toBe('VALIDATION_FAILED');
    }
    const keyOfB = await t.createCompanyKey('ev-b');
    await t.as(keyOfB, 'get', `${base('ev-a')}/events`).expect(403);
    expect((await t.as(keyOfB, 'get', `${base('ev-b')}/events`).expect(200)).body).toEqual({ events: [], next: 0 });
  });

  it('keeps pages gapless and every event once when two processes append at the same time', async () => {
    const company = await t.app.get(CompaniesService).get('ev-b');
    const tenant = t.app.get(TenantConnectionPool).contextFor(company);
    const pages = t.app.get(EventPageRepository);
    const writer = () =>
      new CompanyEventAppender({
        company: 'ev-b',
        tenant,
        pages,
        tip: new EventLogTip(pages, tenant),
        retry: new DurableRetry(10, 100, new AbortController().signal),
        appended: () => undefined,
      });
    const [first, second] = [writer(), writer()];
    const keys = Array.from({ length: 40 }, () => randomUUID());
    await Promise.all(keys.map((key, i) => (i % 2 ? first : second).append([draft(key)])));
    const events = await readAll(t, 'ev-b', 0, 7);
    expect(events.map((e) => e.data.key).sort()).toEqual([...keys].sort());
    expect(events.map((e) => e.cursor)).toEqual([...events.map((e) => e.cursor)].sort((a, b) => a - b));
  });

  it('tells a follower the page that comes next when a read reaches the end of the log, and only then', async () => {
    const company = await t.app.get(CompaniesService).get('ev-b');
    const [log, reader] = [t.app.get(EventLog), t.app.get(EventLogReader)];
    const first = await log.append(company, [draft(randomUUID()), draft(randomUUID())]);
    const atEnd = await reader.read(company, { after: first[0].cursor, limit: 10 });
    expect(atEnd.events).toEqual([first[1]]);
    expect(atEnd.nextPage).toBe(Math.floor(first[1].cursor / 1_000) + 1);
    const [next] = await log.append(company, [draft(randomUUID())]);
    expect(next.cursor).toBe(atEnd.nextPage! * 1_000);
    expect((await reader.read(company, { after: first[0].cursor, limit: 1 })).nextPage).toBeUndefined();
  });

  it('does not log a replayed change twice', async () => {
    const company = await t.app.get(CompaniesService).get('ev-b');
    const log = t.app.get(EventLog);
    const since = new Date(Date.now() - 60_000);
    const [a, b] = [randomUUID(), randomUUID()];
    await log.append(company, [draft(a)]);
    const replayed = await log.appendReplayed(company, [draft(a), draft(b)], since);
    expect(replayed.map((e) => e.data.key)).toEqual([b]);
    expect((await readAll(t, 'ev-b')).filter((e) => e.data.key === a || e.data.key === b)).toHaveLength(2);
  });

  it('drops pages past the retention, never the last, and answers 410 for a cursor behind them', async () => {
    const company = await t.app.get(CompaniesService).get('ev-b');
    const oldest = (await readAll(t, 'ev-b'))[0].cursor;
    await t.app.get(EventRetention).sweep(new Date(Date.now() + 400 * 24 * 3_600_000));
    const kept = await readAll(t, 'ev-b');
    expect(kept.length).toBeGreaterThan(0);
    const { body } = await t.admin('get', `${base('ev-b')}/events?after=${oldest}`).expect(410);
    expect(body.code).toBe('EVENT_CURSOR_EXPIRED');
    const [appended] = await t.app.get(EventLog).append(company, [draft(randomUUID())]);
    expect(appended.cursor).toBeGreaterThan(kept.at(-1)!.cursor);
    expect((await readAll(t, 'ev-b')).at(-1)!.id).toBe(appended.id);
  });

  it('continues the same log after a restart: the events after a cursor are exactly those since', async () => {
    const cursor = (await readAll(t, 'ev-a')).at(-1)!.cursor;
    const run = t.run;
    await t.close({ keepDatabases: true });
    t = await startTestApp({ SESSIONS_PROVIDER_OVERRIDE: 'simulator', SESSIONS_MAX_WHATSAPP_WEB: '10' }, run);
    await until(
      async () => {
        const { body } = await t.admin('get', `${base('ev-a')}/sessions`).expect(200);
        return (body as Array<{ status: string }>).every((s) => s.status === 'WORKING');
      },
      { what: 'sessions resumed after the restart' },
    );
    await inbound(t, 'ev-a', 'one', ['m7']);
    await until(async () => (await readAll(t, 'ev-a', cursor)).some((e) => e.data.providerMessageId === 'm7'), { what: 'm7 event' });
    const since = await readAll(t, 'ev-a', cursor);
    expect(since.every((e) => e.cursor > cursor)).toBe(true);
    expect(since.filter((e) => e.type === 'message.received').map((e) => e.data.providerMessageId)).toEqual(['m7']);
    const all = await readAll(t, 'ev-a');
    expect(all.filter((e) => e.cursor > cursor)).toEqual(since);
  });
});
