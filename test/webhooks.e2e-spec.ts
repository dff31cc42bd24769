import type { LoggedEvent } from '../src/events/event-types';
import { startTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';
import { WebhookReceiver } from './support/webhook-receiver';

const base = (company: string) => `/api/v1/companies/${company}`;
const received = (event: LoggedEvent) => event.type === 'message.received';
const messageId = (event: LoggedEvent) => event.data.providerMessageId as string;
/** At least once: a delivery may repeat (same id); order is about first arrivals. */
const firstOfEach = <T extends { id: string }>(deliveries: T[]): T[] => deliveries.filter((d, i) => deliveries.findIndex((o) => o.id === d.id) === i);

describe('webhooks (real HTTP receiver verifying with the Standard Webhooks library, real database)', () => {
  let t: TestApp;
  const receivers: WebhookReceiver[] = [];

  async function receiver(): Promise<WebhookReceiver> {
    const r = new WebhookReceiver();
    await r.start();
    receivers.push(r);
    return r;
  }

  async function companyWithSessions(company: string, sessions: string[]): Promise<void> {
    await t.admin('post', '/api/v1/companies').send({ slug: company, displayName: company, provider: 'whatsapp-web' }).expect(201);
    for (const name of sessions) {
      await t
        .admin('post', `${base(company)}/sessions`)
        .send({ name })
        .expect(201);
      const started = await t.admin('post', `${base(company)}/sessions/${name}/start`);
      expect([started.status, started.body.code]).toEqual([202, undefined]);
      await t.admin('post', `/simulator/companies/${company}/sessions/${name}/scan`).expect(204);
    }
    await until(
      async () => {
        const { body } = await t.admin('get', `${base(company)}/sessions`).expect(200);
        return (body as Array<{ status: string }>).filter((s) => s.status === 'WORKING').length === sessions.length;
      },
      { what: `${company} sessions working` },
    );
  }

  const inbound = (company: string, session: string, ids: string[]) =>
    t
      .admin('post', `/simulator/companies/${company}/sessions/${session}/inbound`)
      .send({ messages: ids.map((id) => ({ providerMessageId: id, from: '+525512345678', text: `texto ${id}` })) })
      .expect(200);

  async function register(
    company: string,
    target: WebhookReceiver,
    extra: Record<string, unknown> = {},
    key?: string,
  ): Promise<{ id: string; secret: string }> {
    const request = key ? t.as(key, 'post', `${base(company)}/webhooks`) : t.admin('post', `${base(company)}/webhooks`);
    const { body } = await request.send({ url: target.url, ...extra }).expect(201);
    target.secrets.push(body.secret as string);
    return { id: body.id as string, secret: body.secret as string };
  }

  const metric = async (name: string, labels: Record<string, string>): Promise<number> => {
    const text = (await t.http().get('/metrics').expect(200)).text;
    const selector = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && selector.every((s) => l.includes(s)));
    return line ? Number(line.split(' ').at(-1)) : NaN;
  };

  beforeAll(async () => {
    t = await startTestApp({
      SESSIONS_PROVIDER_OVERRIDE: 'simulator',
      SESSIONS_MAX_WHATSAPP_WEB: '10',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_SECRET_KEY: 'e2e-webhook-sealing-key-0123456789',
      WEBHOOK_RETRY_BASE_MS: '50',
      WEBHOOK_RETRY_MAX_MS: '200',
      WEBHOOK_RETRY_HORIZON_MS: '1500',
      WEBHOOK_BREAKER_FAILURES: '3',
      WEBHOOK_BREAKER_HALF_OPEN_MS: '500',
      WEBHOOK_POLL_INTERVAL_MS: '200',
    });
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
    await t?.close();
  });

  it('delivers every event once per id, signed, in order per session, from registration on, filtered as asked', async () => {
    await companyWithSessions('wh-a', ['one', 'two', 'three']);
    await inbound('wh-a', 'one', ['before']);
    await until(async () => (await t.admin('get', `${base('wh-a')}/events?types=message.received&limit=10`).expect(200)).body.events.length === 1, {
      what: 'the earlier message logged',
    });
    const key = await t.createCompanyKey('wh-a');
    const all = await receiver();
    const onlyTwo = await receiver();
    const endpoint = await register('wh-a', all, { types: ['message.received'] }, key);
    await register('wh-a', onlyTwo, { sessions: ['two'] });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const sent: Record<string, string[]> = { one: [], two: [], three: [] };
    for (let batch = 0; batch < 5; batch++) {
      for (const session of Object.keys(sent)) {
        const ids = [0, 1, 2, 3].map((i) => `${session}-${batch * 4 + i}`);
        sent[session].push(...ids);
        await inbound('wh-a', session, ids);
      }
    }
    await until(() => new Set(all.accepted.map((d) => d.id)).size === 60, { what: '60 events delivered' });
    await until(
      () =>
        new Set(
          onlyTwo
            .of(received)
            .filter((d) => d.status === 200)
            .map((d) => d.id),
        ).size === 20,
      { what: "session two's 20 messages delivered" },
    );

    expect(all.deliveries.every((d) => d.verifiedWith.length === 1 && d.id === d.event.id)).toBe(true);
    expect(all.deliveries.every((d) => d.event.type === 'message.received' && d.event.company === 'wh-a')).toBe(true);
    expect(all.of((e) => messageId(e) === 'before')).toEqual([]);
    for (const [session, ids] of Object.entries(sent)) {
      expect(firstOfEach(all.accepted.filter((d) => d.event.session === session)).map((d) => messageId(d.event))).toEqual(ids);
    }
    const idsByMessage = new Map<string, Set<string>>();
    for (const d of all.deliveries) idsByMessage.set(messageId(d.event), (idsByMessage.get(messageId(d.event)) ?? new Set()).add(d.id));
    expect([...idsByMessage.values()].every((ids) => ids.size === 1)).toBe(true);
    expect(onlyTwo.deliveries.every((d) => d.event.session === 'two' && d.verifiedWith.length === 1)).toBe(true);
    expect(firstOfEach(onlyTwo.of(received)).map((d) => messageId(d.event))).toEqual(sent.two);

    const last = Math.max(...all.accepted.map((d) => d.event.cursor));
    await until(async () => (await t.as(key, 'get', `${base('wh-a')}/webhooks/${endpoint.id}`).expect(200)).body.delivery.cursor >= last, {
      what: 'cursor saved',
    });
    const { body: view } = await t.as(key, 'get', `${base('wh-a')}/webhooks/${endpoint.id}`).expect(200);
    expect(view).toMatchObject({ id: endpoint.id, url: all.url, types: ['message.received'], sessions: null, delivery: { breaker: 'closed', pending: 0 } });
    const { body: list } = await t.as(key, 'get', `${base('wh-a')}/webhooks`).expect(200);
    expect(list).toHaveLength(2);
    expect(JSON.stringify([view, list])).not.toMatch(/whsec_|secret/);
    expect(await metric('vv_webhook_deliveries_total', { company: 'wh-a', endpoint: endpoint.id, outcome: 'delivered' })).toBe(60);
    expect(await metric('vv_webhook_breaker_state', { company: 'wh-a', endpoint: endpoint.id })).toBe(0);
    expect(await metric('vv_webhook_lag_seconds_count', { company: 'wh-a', endpoint: endpoint.id })).toBe(60);
    const queuesOf = async (company: string) =>
      ((await t.admin('get', '/api/v1/stats').expect(200)).body.companies as Array<{ company: string; queues: Record<string, number | null> }>).find(
        (c) => c.company === company,
      )?.queues;
    await until(async () => (await queuesOf('wh-a'))?.webhooks === 0, { what: "stats list the company's pending webhook events" });
  });

  it('rotates the secret: shown once, the new one signs at once, the previous one still verifies during the grace period', async () => {
    const target = await receiver();
    const { id, secret: first } = await register('wh-a', target, { types: ['message.received'], sessions: ['one'] });
    const { body: rotated } = await t.admin('post', `${base('wh-a')}/webhooks/${id}/rotate-secret`).expect(200);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(first);
    expect(Date.parse(rotated.previousSecretValidUntil)).toBeGreaterThan(Date.now());
    target.secrets = [rotated.secret, first];

    await inbound('wh-a', 'one', ['after-rotation']);
    await until(() => target.of((e) => messageId(e) === 'after-rotation').length > 0, { what: 'delivery after rotation' });
    expect(target.deliveries.every((d) => d.verifiedWith.join() === '0,1')).toBe(true);
    const { body: view } = await t.admin('get', `${base('wh-a')}/webhooks/${id}`).expect(200);
    expect(JSON.stringify(view)).not.toContain(rotated.secret.slice(6));
    expect(view.secretRotatedAt).toBeDefined();
  });

  it('refuses bad input with machine-readable codes', async () => {
    const hooks = `${base('wh-a')}/webhooks`;
    const refused = async (body: Record<string, unknown>, status: number, code: string) => {
      const response = await t.admin('post', hooks).send(body).expect(status);
      expect(response.body).toMatchObject({ statusCode: status, code });
    };
    await refused({ url: 'not a url' }, 400, 'VALIDATION_FAILED');
    await refused({ url: 'ftp://example.com/hook' }, 400, 'VALIDATION_FAILED');
    await refused({ url: 'https://example.com/hook', types: ['message.received', 'message.exploded'] }, 400, 'VALIDATION_FAILED');
    await refused({ url: 'https://example.com/hook', types: [] }, 400, 'VALIDATION_FAILED');
    await refused({ url: 'https://example.com/hook', sessions: ['Not A Session'] }, 400, 'VALIDATION_FAILED');
    await refused({ url: 'https://example.com/hook', secret: 'whsec_mine' }, 400, 'VALIDATION_FAILED');
    expect((await t.admin('get', `${hooks}/wh_unknown`).expect(404)).body.code).toBe('WEBHOOK_NOT_FOUND');
    expect((await t.admin('patch', `${hooks}/wh_unknown`).send({ url: 'https://example.com/x' }).expect(404)).body.code).toBe('WEBHOOK_NOT_FOUND');
    expect((await t.admin('get', `${base('nope')}/webhooks`).expect(404)).body.code).toBe('COMPANY_NOT_FOUND');
    const otherKey = await t.createCompanyKey('diocsa');
    expect((await t.as(otherKey, 'get', hooks).expect(403)).body.code).toBe('FORBIDDEN');

    const target = await receiver();
    const { id } = await register('wh-a', target);
    expect(
      (
        await t
          .admin('patch', `${hooks}/${id}`)
          .send({ types: ['nope'] })
          .expect(400)
      ).body.code,
    ).toBe('VALIDATION_FAILED');
    const { body: changed } = await t
      .admin('patch', `${hooks}/${id}`)
      .send({ types: ['session.status'], sessions: null })
      .expect(200);
    expect(changed).toMatchObject({ types: ['session.status'], sessions: null, url: target.url });
    expect((await t.admin('get', `${hooks}/${id}/dead-letters?cursor=zzz`).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await t.admin('post', `${hooks}/${id}/dead-letters/0123456789abcdef01234567/redeliver`).expect(404)).body.code).toBe(
      'WEBHOOK_DEAD_LETTER_NOT_FOUND',
    );
    await t.admin('delete', `${hooks}/${id}`).expect(204);
    expect((await t.admin('delete', `${hooks}/${id}`).expect(404)).body.code).toBe('WEBHOOK_NOT_FOUND');
  });

  it('opens the breaker of an endpoint answering 5xx, and closes it once the endpoint recovers', async () => {
    await companyWithSessions('wh-b', ['one']);
    const target = await receiver();
    target.answer = () => 503;
    const { id } = await register('wh-b', target, { types: ['message.received'] });
    await inbound('wh-b', 'one', ['b-1', 'b-2']);

    await until(async () => (await t.admin('get', `${base('wh-b')}/webhooks/${id}`).expect(200)).body.delivery.breaker === 'open', { what: 'breaker open' });
    expect(target.deliveries.filter((d) => d.status === 503).length).toBeGreaterThanOrEqual(3);
    expect(await metric('vv_webhook_failures_total', { company: 'wh-b', endpoint: id })).toBeGreaterThanOrEqual(3);
    const { body: open } = await t.admin('get', `${base('wh-b')}/webhooks/${id}`).expect(200);
    expect(open.delivery).toMatchObject({ breaker: 'open', lastError: 'HTTP 503' });

    target.answer = () => 200;
    await inbound('wh-b', 'one', ['b-3']);
    await until(async () => (await t.admin('get', `${base('wh-b')}/webhooks/${id}`).expect(200)).body.delivery.breaker === 'closed', {
      what: 'breaker closed again',
    });
    await until(() => target.accepted.some((d) => messageId(d.event) === 'b-3'), { what: 'delivered after recovery' });
    expect(await metric('vv_webhook_breaker_state', { company: 'wh-b', endpoint: id })).toBe(0);
  });

  it('dead-letters an event the endpoint keeps refusing, moves its session on, and redelivers it through the API with the same id', async () => {
    await companyWithSessions('wh-c', ['one']);
    const target = await receiver();
    let poisonAccepted = false;
    target.answer = (event) => (messageId(event) === 'poison' && !poisonAccepted ? 500 : 200);
    const { id } = await register('wh-c', target, { types: ['message.received'] });
    await inbound('wh-c', 'one', ['poison', 'next']);

    await until(() => target.accepted.some((d) => messageId(d.event) === 'next'), { what: 'the session moved on' });
    const { body: page } = await t.admin('get', `${base('wh-c')}/webhooks/${id}/dead-letters`).expect(200);
    expect(page.items).toHaveLength(1);
    const [letter] = page.items;
    const failedIds = new Set(target.of((e) => messageId(e) === 'poison').map((d) => d.id));
    expect(failedIds.size).toBe(1);
    expect(letter).toMatchObject({
      eventId: [...failedIds][0],
      endpoint: id,
      lastStatus: 500,
      lastError: 'HTTP 500',
      event: { id: [...failedIds][0], session: 'one' },
    });
    expect(letter.attempts).toBeGreaterThanOrEqual(1);
    expect(target.deliveries.findIndex((d) => messageId(d.event) === 'next')).toBeGreaterThan(
      target.deliveries.findLastIndex((d) => messageId(d.event) === 'poison'),
    );
    expect(await metric('vv_webhook_deliveries_total', { company: 'wh-c', endpoint: id, outcome: 'dead-lettered' })).toBe(1);

    const { body: stillFailing } = await t.admin('post', `${base('wh-c')}/webhooks/${id}/dead-letters/${letter.id}/redeliver`).expect(200);
    expect(stillFailing).toMatchObject({ outcome: 'failed', status: 500, eventId: letter.eventId });
    poisonAccepted = true;
    const { body: outcome } = await t.admin('post', `${base('wh-c')}/webhooks/${id}/dead-letters/${letter.id}/redeliver`).expect(200);
    expect(outcome).toMatchObject({ outcome: 'delivered', status: 200, deadLetter: letter.id, eventId: letter.eventId });
    const redelivered = target.accepted.filter((d) => messageId(d.event) === 'poison');
    expect(redelivered.map((d) => [d.id, d.verifiedWith.length])).toEqual([[letter.eventId, 1]]);
    expect((await t.admin('get', `${base('wh-c')}/webhooks/${id}/dead-letters`).expect(200)).body.items).toEqual([]);
    expect((await t.admin('post', `${base('wh-c')}/webhooks/${id}/dead-letters/${letter.id}/redeliver`).expect(404)).body.code).toBe(
      'WEBHOOK_DEAD_LETTER_NOT_FOUND',
    );
  });
});

describe('webhook targets without WEBHOOK_ALLOW_PRIVATE_TARGETS (the production guard)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({});
  });
  afterAll(() => t?.close());

  it('refuses private, loopback and link-local targets with WEBHOOK_TARGET_FORBIDDEN', async () => {
    for (const url of [
      'http://127.0.0.1:8080/hooks',
      'http://localhost/hooks',
      'https://169.254.169.254/latest/meta-data',
      'https://10.0.0.7/hooks',
      'https://[::1]/hooks',
      'https://no-such-host.invalid/hook',
    ]) {
      const { body } = await t
        .admin('post', `${base('mitsubishi')}/webhooks`)
        .send({ url })
        .expect(400);
      expect(body).toMatchObject({ statusCode: 400, code: 'WEBHOOK_TARGET_FORBIDDEN' });
    }
    expect((await t.admin('get', `${base('mitsubishi')}/webhooks`).expect(200)).body).toEqual([]);
  });
});
