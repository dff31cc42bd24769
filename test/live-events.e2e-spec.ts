import type { AddressInfo } from 'node:net';
import type { LoggedEvent } from '../src/events/event-types';
import { connectLive, refusalOf, type LiveClient } from './support/live-client';
import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';

const base = (company: string) => `/api/v1/companies/${company}`;
const received = (client: LiveClient) => client.events.filter((e) => e.type === 'message.received').map((e) => e.data.providerMessageId as string);
const hasAll = (client: LiveClient, ids: string[]) => ids.every((id) => received(client).includes(id));

describe('live event stream (Socket.IO, one process, real database)', () => {
  let t: TestApp;
  let url: string;
  const keys: Record<string, string> = {};
  const clients: LiveClient[] = [];
  const connect = async (auth: Record<string, unknown>, headers?: Record<string, string>) => {
    const client = await connectLive(url, auth, headers);
    clients.push(client);
    return client;
  };

  const inbound = (company: string, ids: string[], from = '+525512340000') =>
    t
      .admin('post', `/simulator/companies/${company}/sessions/one/inbound`)
      .send({ messages: ids.map((id) => ({ providerMessageId: id, from, text: `texto ${id}`, senderName: 'Ana' })) })
      .expect(200);

  beforeAll(async () => {
    t = await startTestApp({ SESSIONS_PROVIDER_OVERRIDE: 'simulator' });
    url = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    for (const slug of ['live-a', 'live-b']) {
      await t.admin('post', '/api/v1/companies').send({ slug, displayName: slug, provider: 'whatsapp-web' }).expect(201);
      await t
        .admin('post', `${base(slug)}/sessions`)
        .send({ name: 'one' })
        .expect(201);
      await t.admin('post', `${base(slug)}/sessions/one/start`).expect(202);
      await t.admin('post', `/simulator/companies/${slug}/sessions/one/scan`).expect(204);
      keys[slug] = await t.createCompanyKey(slug);
    }
    await until(
      async () => {
        const statuses = await Promise.all(
          ['live-a', 'live-b'].map(async (slug) => (await t.admin('get', `${base(slug)}/sessions/one`).expect(200)).body.status),
        );
        return statuses.every((status) => status === 'WORKING');
      },
      { what: 'both sessions working' },
    );
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await t.close();
  });

  it("streams a company's events to its own key and none of another company's; the admin gets both", async () => {
    const a = await connect({ apiKey: keys['live-a'] });
    const b = await connect({ apiKey: keys['live-b'] });
    const admin = await connect({ apiKey: ADMIN_KEY });
    const [ofA, ofB] = [
      ['a1', 'a2', 'a3'],
      ['b1', 'b2'],
    ];
    await Promise.all([inbound('live-a', ofA.slice(0, 2)), inbound('live-b', ofB), inbound('live-a', ofA.slice(2))]);

    await until(() => hasAll(a, ofA), { what: "A's messages on A's socket" });
    await until(() => hasAll(b, ofB), { what: "B's messages on B's socket" });
    // Every event above has been broadcast now; one more per company, and a socket that holds it holds
    // whatever was sent to it before (one ordered connection): had any of B's been meant for A, A has it.
    await Promise.all([inbound('live-a', ['a-last']), inbound('live-b', ['b-last'])]);
    await until(() => hasAll(a, ['a-last']) && hasAll(b, ['b-last']), { what: 'the last message of each company' });
    await until(() => hasAll(admin, [...ofA, ...ofB, 'a-last', 'b-last']), { what: 'every message on the admin socket' });
    expect(received(a).sort()).toEqual(['a-last', ...ofA]);
    expect(a.events.every((e) => e.company === 'live-a')).toBe(true);
    expect(received(b).sort()).toEqual(['b-last', ...ofB]);
    expect(b.events.every((e) => e.company === 'live-b')).toBe(true);

    // The same JSON as the event log (and so as the webhooks), in log order.
    const { body } = await t.as(keys['live-a'], 'get', `${base('live-a')}/events?types=message.received`).expect(200);
    const logged = (body.events as LoggedEvent[]).filter((e) => [...ofA, 'a-last'].includes(e.data.providerMessageId as string));
    expect(logged).toHaveLength(4);
    expect(a.events.filter((e) => e.type === 'message.received')).toEqual(logged);
  });

  it('refuses a bad or missing key at the handshake with a machine-readable code', async () => {
    for (const auth of [{ apiKey: 'vv_abcdefghijkl_' + 'a'.repeat(43) }, { apiKey: 'not a key' }, {}]) {
      const refusal = await refusalOf(url, auth);
      expect(refusal.data).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(refusal.message).toMatch(/API key/);
    }
    const forbidden = await refusalOf(url, { apiKey: keys['live-a'], companies: ['live-b'] });
    expect(forbidden.data?.code).toBe('FORBIDDEN');
    expect((await refusalOf(url, { apiKey: keys['live-a'], types: ['no.such.type'] })).data?.code).toBe('VALIDATION_FAILED');
  });

  it('accepts the key in an X-API-Key header, and lets the admin follow chosen companies and event types', async () => {
    const byHeader = await connect({}, { 'x-api-key': keys['live-b'] });
    const adminOfB = await connect({ apiKey: ADMIN_KEY, companies: ['live-b'] });
    const messagesOfA = await connect({ apiKey: keys['live-a'], types: ['message.received'] });
    const everythingOfA = await connect({ apiKey: keys['live-a'] });
    await Promise.all([inbound('live-a', ['a4'], '+525512340004'), inbound('live-b', ['b3'])]);
    await until(() => everythingOfA.events.some((e) => e.type === 'prospect.created' && e.data.number === '+525512340004'), { what: "a4's prospect event" });
    await until(() => hasAll(byHeader, ['b3']), { what: 'b3 on the header socket' });
    // Sent after everything above was broadcast: once a socket holds these, it holds whatever came before.
    await Promise.all([inbound('live-a', ['a5'], '+525512340004'), inbound('live-b', ['b4'])]);
    await until(() => hasAll(messagesOfA, ['a4', 'a5']) && hasAll(adminOfB, ['b3', 'b4']) && hasAll(byHeader, ['b4']), { what: 'the last messages' });
    expect(adminOfB.events.every((e) => e.company === 'live-b')).toBe(true);
    expect(byHeader.events.every((e) => e.company === 'live-b')).toBe(true);
    expect(messagesOfA.events.map((e) => [e.type, e.data.providerMessageId])).toEqual([
      ['message.received', 'a4'],
      ['message.received', 'a5'],
    ]);
  });

  it('reports open sockets per company and events emitted', async () => {
    const { text } = await t.http().get('/metrics').expect(200);
    expect(text).toMatch(/vv_live_sockets\{company="live-a"\} [1-9]/);
    expect(text).toMatch(/vv_live_sockets\{company="\*"\} [1-9]/);
    expect(text).toMatch(/vv_live_events_emitted_total\{company="live-b"\} [1-9]/);
  });
});
