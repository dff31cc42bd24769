import { SimulatorAdapter } from '../src/providers/simulator/simulator.adapter';
import { startTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';

const ENV = { SESSIONS_PROVIDER_OVERRIDE: 'simulator', SESSIONS_MAX_WHATSAPP_WEB: '10', OUTBOUND_POLL_INTERVAL_MS: '50', CONTACT_CHECKS_PER_MINUTE: '6' };
const company = '/api/v1/companies/mitsubishi';
const base = `${company}/sessions/desk`;

describe('read receipts, typing and contact lookups (simulator, real database, real HTTP)', () => {
  let t: TestApp;
  let simulator: SimulatorAdapter;

  beforeAll(async () => {
    t = await startTestApp(ENV);
    simulator = t.app.get(SimulatorAdapter);
    await t.admin('post', `${company}/sessions`).send({ name: 'desk' }).expect(201);
    await t.admin('post', `${company}/sessions`).send({ name: 'idle' }).expect(201);
    await t.admin('post', `${base}/start`).expect(202);
    await t.admin('post', '/simulator/companies/mitsubishi/sessions/desk/scan').expect(204);
    await until(async () => (await t.admin('get', base)).body.status === 'WORKING', { what: 'session working' });
  });
  afterAll(() => t?.close());

  const deliver = (from: string, ids: string[]) =>
    t
      .admin('post', '/simulator/companies/mitsubishi/sessions/desk/inbound')
      .send({ messages: ids.map((id) => ({ providerMessageId: id, from, text: id })) })
      .expect(200);
  const listed = async (address: string) =>
    (await t.admin('get', `${base}/chats/${encodeURIComponent(address)}/messages`).expect(200)).body.items as Array<{
      id: string;
      providerMessageId: string;
      phone: string;
    }>;

  it("marks a chat read only when asked, with read receipts for the customer's latest messages, and shows typing", async () => {
    await deliver('+5215511112222', ['R1', 'R2']);
    await until(async () => (await listed('+525511112222')).length === 2, { what: 'messages stored' });
    const sent = await t.admin('post', `${base}/messages`).send({ to: '+525511112222', text: 'ahora te digo' }).expect(202);
    await until(async () => (await t.admin('get', `${base}/messages/${sent.body.id}`)).body.status === 'sent', { what: 'reply sent' });
    expect(simulator.actions.filter((a) => a.action === 'read')).toEqual([]);

    expect((await t.admin('post', `${base}/chats/${encodeURIComponent('+52 1 55 1111 2222')}/read`).expect(200)).body).toEqual({ read: 2 });
    await t.admin('post', `${base}/chats/+525511112222/typing`).send({}).expect(204);
    await t.admin('post', `${base}/chats/+525511112222/typing`).send({ typing: false }).expect(204);
    expect(simulator.actions.map(({ action, to, typing, messages }) => ({ action, to, typing, messages }))).toEqual([
      { action: 'read', to: '+525511112222', typing: undefined, messages: ['R2', 'R1'] },
      { action: 'typing', to: '+525511112222', typing: true, messages: undefined },
      { action: 'typing', to: '+525511112222', typing: false, messages: undefined },
    ]);
  });

  it('answers 409 SESSION_NOT_READY where the session does not run, and 404 for an unknown one', async () => {
    expect((await t.admin('post', `${company}/sessions/idle/chats/+525511112222/read`).expect(409)).body.code).toBe('SESSION_NOT_READY');
    expect((await t.admin('post', `${company}/sessions/idle/chats/+525511112222/typing`).send({}).expect(409)).body.code).toBe('SESSION_NOT_READY');
    expect(
      (
        await t
          .admin('post', `${company}/sessions/idle/contacts/check`)
          .send({ numbers: ['+14155550100'] })
          .expect(409)
      ).body.code,
    ).toBe('SESSION_NOT_READY');
    expect((await t.admin('post', `${company}/sessions/ghost/chats/+525511112222/read`).expect(404)).body.code).toBe('SESSION_NOT_FOUND');
  });

  it('checks numbers once (cached), within a per-session rate limit, and keeps the LIDs it learns', async () => {
    simulator.absentNumbers.add('+14155550102');
    const first = await t
      .admin('post', `${base}/contacts/check`)
      .send({ numbers: ['+1 415 555 0101', '+14155550102', 'not a number'] })
      .expect(200);
    expect(first.body.results).toEqual([
      { number: '+1 415 555 0101', phone: '+14155550101', exists: true, jid: '14155550101@s.whatsapp.net', lid: '10105555141@lid' },
      { number: '+14155550102', phone: '+14155550102', exists: false },
      { number: 'not a number', phone: null, exists: false },
    ]);
    await t
      .admin('post', `${base}/contacts/check`)
      .send({ numbers: ['+14155550101', '+14155550102'] })
      .expect(200);
    expect(simulator.lookups).toEqual(['+14155550101', '+14155550102']);

    // 2 of 6 points are spent: 5 new numbers at once are refused whole, and nothing is asked.
    const refused = await t
      .admin('post', `${base}/contacts/check`)
      .send({ numbers: ['+14155550103', '+14155550104', '+14155550105', '+14155550106', '+14155550107'] })
      .expect(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(simulator.lookups).toHaveLength(2);
    expect(
      (
        await t
          .admin('post', `${base}/contacts/check`)
          .send({ numbers: Array.from({ length: 51 }, (_, i) => `+1415555${String(i).padStart(4, '0')}`) })
          .expect(400)
      ).body.code,
    ).toBe('VALIDATION_FAILED');

    // The LID learnt from the check answers a contact known only by it.
    const byLid = await t.admin('post', `${base}/messages`).send({ to: '10105555141@lid', text: 'hola' }).expect(202);
    expect(byLid.body.to).toBe('+14155550101');
  });

  it('files a contact known only by LID under it, lists and answers it there', async () => {
    await deliver('99887766554433@lid', ['L1']);
    await until(async () => (await listed('99887766554433@lid')).length === 1, { what: 'LID chat stored' });
    const reply = await t.admin('post', `${base}/messages`).send({ to: '99887766554433@lid', text: 'te leo' }).expect(202);
    expect(reply.body.to).toBe('99887766554433@lid');
    await until(async () => (await t.admin('get', `${base}/messages/${reply.body.id}`)).body.status === 'sent', { what: 'sent to the LID' });
    expect(simulator.sent.at(-1)?.message).toMatchObject({ to: '99887766554433@lid', text: 'te leo' });
  });

  it("answers a contact's profile with its name and picture", async () => {
    expect((await t.admin('get', `${base}/contacts/${encodeURIComponent('+14155550101')}/profile`).expect(200)).body).toEqual({
      phone: '+14155550101',
      name: 'Simulated 14155550101',
      pictureUrl: 'https://simulator.invalid/pictures/14155550101.jpg',
    });
  });
});
