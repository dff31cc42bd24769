import { Types } from 'mongoose';
import { SimulatorAdapter } from '../src/providers/simulator/simulator.adapter';
import { OutboundWorker } from '../src/messaging/outbound-worker.service';
import { SessionEvents } from '../src/sessions/session-events';
import { SessionManager } from '../src/sessions/session-manager.service';
import { SessionSupervisor } from '../src/sessions/session-supervisor.service';
import { CompaniesService } from '../src/tenancy/companies.service';
import { TenantConnectionPool } from '../src/tenancy/tenant-connection-pool.service';
import { startTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';

const ENV = { SESSIONS_PROVIDER_OVERRIDE: 'simulator', OUTBOUND_RETRY_BASE_MS: '50', OUTBOUND_POLL_INTERVAL_MS: '50', OUTBOUND_MAX_ATTEMPTS: '3' };
const base = '/api/v1/companies/diocsa/sessions/desk';

async function workingSession(t: TestApp): Promise<void> {
  const company = await t.app.get(CompaniesService).get('diocsa');
  await t.admin('post', '/api/v1/companies/diocsa/sessions').send({ name: 'desk' }).expect(201);
  await t.app.get(SimulatorAdapter).link(company, 'desk');
  await t.admin('post', `${base}/start`).expect(202);
  await until(() => t.app.get(SessionManager).runtime('diocsa', 'desk')?.status === 'WORKING');
}

describe('outbound messages, durable (simulator, real database)', () => {
  let t: TestApp;

  afterEach(async () => {
    await t?.close();
  });

  it('answers 202 with a queued message, sends it once, and follows provider acks to read', async () => {
    t = await startTestApp(ENV);
    await workingSession(t);
    const accepted = await t.admin('post', `${base}/messages`).send({ to: '+52 1 55 1234 5678', text: 'hola' }).expect(202);
    expect(accepted.body).toMatchObject({ status: 'queued', to: '+525512345678', text: 'hola', attempts: 0 });
    await until(async () => (await t.admin('get', `${base}/messages/${accepted.body.id}`)).body.status === 'sent');
    const sent = await t.admin('get', `${base}/messages/${accepted.body.id}`).expect(200);
    const simulator = t.app.get(SimulatorAdapter);
    expect(simulator.sent.filter((s) => s.providerMessageId === sent.body.providerMessageId)).toHaveLength(1);

    simulator.inject('diocsa', 'desk', { type: 'status', providerMessageId: sent.body.providerMessageId, status: 'read', at: new Date() });
    await until(async () => (await t.admin('get', `${base}/messages/${accepted.body.id}`)).body.status === 'read');
    // A late receipt, applied the way sources that need durability apply it (resolves once the outbox took it).
    await t.app.get(SessionEvents).applyStatus({
      company: await t.app.get(CompaniesService).get('diocsa'),
      session: 'desk',
      event: { type: 'status', providerMessageId: sent.body.providerMessageId, status: 'delivered', at: new Date() },
    });
    expect((await t.admin('get', `${base}/messages/${accepted.body.id}`)).body.status).toBe('read');

    const chat = await t.admin('get', `${base}/chats/${encodeURIComponent('+525512345678')}/messages`).expect(200);
    expect(chat.body.items).toEqual([expect.objectContaining({ direction: 'outbound', text: 'hola', providerMessageId: sent.body.providerMessageId })]);
  });

  it('returns the same message for a repeated Idempotency-Key and sends it once', async () => {
    t = await startTestApp(ENV);
    await workingSession(t);
    const first = await t.admin('post', `${base}/messages`).set('Idempotency-Key', 'order-42').send({ to: '+525512345678', text: 'one' }).expect(202);
    const again = await t.admin('post', `${base}/messages`).set('Idempotency-Key', 'order-42').send({ to: '+525512345678', text: 'one' }).expect(202);
    expect(again.body.id).toBe(first.body.id);
    await until(async () => (await t.admin('get', `${base}/messages/${first.body.id}`)).body.status === 'sent');
    await t.app.get(OutboundWorker).idle();
    expect(t.app.get(SimulatorAdapter).sent).toHaveLength(1);
    const bad = await t.admin('post', `${base}/messages`).set('Idempotency-Key', 'has spaces').send({ to: '+525512345678', text: 'x' }).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect((await t.admin('post', `${base}/messages`).send({ to: '123456', text: 'x' }).expect(400)).body.code).toBe('INVALID_PHONE_NUMBER');
    expect((await t.admin('post', `${base}/messages`).send({ to: '+525512345678' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await t.admin('post', '/api/v1/companies/diocsa/sessions/ghost/messages').send({ to: '+525512345678', text: 'x' }).expect(404)).body.code).toBe(
      'SESSION_NOT_FOUND',
    );
  });

  it('retries failed sends with backoff, then fails with the reason after the tries are spent', async () => {
    t = await startTestApp(ENV);
    await workingSession(t);
    const simulator = t.app.get(SimulatorAdapter);
    simulator.failNextSends(2);
    const retried = await t.admin('post', `${base}/messages`).send({ to: '+525512345678', text: 'third time lucky' }).expect(202);
    await until(async () => (await t.admin('get', `${base}/messages/${retried.body.id}`)).body.status === 'sent');
    expect((await t.admin('get', `${base}/messages/${retried.body.id}`)).body.attempts).toBe(3);

    simulator.failNextSends(10);
    const doomed = await t.admin('post', `${base}/messages`).send({ to: '+525512345678', text: 'never' }).expect(202);
    await until(async () => (await t.admin('get', `${base}/messages/${doomed.body.id}`)).body.status === 'failed');
    const failed = await t.admin('get', `${base}/messages/${doomed.body.id}`).expect(200);
    expect(failed.body).toMatchObject({ attempts: 3, reason: 'simulated send failure (after 3 tries)' });
  });

  it('stops trying a failing session once its circuit opens, without spending the message tries', async () => {
    t = await startTestApp({ ...ENV, OUTBOUND_MAX_ATTEMPTS: '5', CIRCUIT_BREAKER_FAILURES: '2', CIRCUIT_BREAKER_HALF_OPEN_MS: '60000' });
    await workingSession(t);
    t.app.get(SimulatorAdapter).failNextSends(100);
    const queued = await t.admin('post', `${base}/messages`).send({ to: '+525512345678', text: 'breaker' }).expect(202);
    await until(async () => /circuit open/.test((await t.admin('get', `${base}/messages/${queued.body.id}`)).body.reason ?? ''));
    const deferred = await t.admin('get', `${base}/messages/${queued.body.id}`).expect(200);
    expect(deferred.body).toMatchObject({ status: 'queued', attempts: 2 });
  });

  it('resolves a timed-out send by its late answer, and ends one with no answer as unknown_outcome, never sending twice', async () => {
    t = await startTestApp({ ...ENV, OUTBOUND_SEND_TIMEOUT_MS: '300' });
    await workingSession(t);
    const simulator = t.app.get(SimulatorAdapter);
    simulator.slowNextSends(1, 450);
    const late = await t.admin('post', `${base}/messages`).send({ to: '+525512345601', text: 'slow but sent' }).expect(202);
    await until(async () => ['sent', 'failed'].includes((await t.admin('get', `${base}/messages/${late.body.id}`)).body.status), {
      what: 'the slow send settled',
    });
    expect((await t.admin('get', `${base}/messages/${late.body.id}`)).body).toMatchObject({ status: 'sent', attempts: 1 });

    simulator.slowNextSends(1, 1_500);
    const lost = await t.admin('post', `${base}/messages`).send({ to: '+525512345602', text: 'no answer in time' }).expect(202);
    await until(async () => (await t.admin('get', `${base}/messages/${lost.body.id}`)).body.status === 'failed', { what: 'unknown outcome' });
    expect((await t.admin('get', `${base}/messages/${lost.body.id}`)).body).toMatchObject({ reason: 'unknown_outcome', attempts: 1 });
    // The slow send did reach WhatsApp in the end; it went out once, not again as a retry.
    await until(() => simulator.sent.some((s) => s.to === '+525512345602'), { what: 'the slow send landing' });
    await t.app.get(OutboundWorker).idle();
    expect(simulator.sent.filter((s) => s.to.startsWith('+5255123456')).map((s) => s.to)).toEqual(['+525512345601', '+525512345602']);
  });

  it('leaves a message for a session still waiting for its QR due, and sends it once the session works', async () => {
    t = await startTestApp(ENV);
    const company = await t.app.get(CompaniesService).get('diocsa');
    await t.admin('post', '/api/v1/companies/diocsa/sessions').send({ name: 'desk' }).expect(201);
    await t.admin('post', `${base}/start`).expect(202);
    await until(() => t.app.get(SessionManager).runtime('diocsa', 'desk')?.status === 'SCAN_QR', { what: 'desk SCAN_QR' });
    const { id } = (await t.admin('post', `${base}/messages`).send({ to: '+525512345690', text: 'early' }).expect(202)).body;
    const worker = t.app.get(OutboundWorker);
    for (let pass = 0; pass < 3; pass++) {
      worker.kick();
      await worker.idle();
    }
    const stored = await t.app
      .get(TenantConnectionPool)
      .contextFor(company)
      .run((db) => db.collection('outbox').findOne({ _id: new Types.ObjectId(id as string) }));
    // Not pushed back behind a wait for the session: the first pass after WORKING takes it, wake-up or not.
    expect(stored).toMatchObject({ status: 'queued', attempts: 0 });
    expect((stored!.nextAttemptAt as Date).getTime()).toBeLessThanOrEqual(Date.now());

    await t.app.get(SimulatorAdapter).scan(company, 'desk');
    await until(async () => (await t.admin('get', `${base}/messages/${id}`)).body.status === 'sent', { what: 'the early message sent' });
    expect(t.app.get(SimulatorAdapter).sent.filter((s) => s.to === '+525512345690')).toHaveLength(1);
  });

  it('fails a message queued for a session that logged out, without sending it', async () => {
    t = await startTestApp(ENV);
    await workingSession(t);
    await t.admin('post', `${base}/logout`).expect(200);
    const { id } = (await t.admin('post', `${base}/messages`).send({ to: '+525512345691', text: 'too late' }).expect(202)).body;
    await until(async () => (await t.admin('get', `${base}/messages/${id}`)).body.status === 'failed', { what: 'the message failed' });
    expect((await t.admin('get', `${base}/messages/${id}`)).body.reason).toBe('session is logged out or failed');
    expect(t.app.get(SimulatorAdapter).sent.filter((s) => s.to === '+525512345691')).toEqual([]);
  });

  it('keeps queued messages across a restart and delivers each exactly once afterwards', async () => {
    t = await startTestApp(ENV);
    await workingSession(t);
    await t.admin('post', `${base}/stop`).expect(200);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        (
          await t
            .admin('post', `${base}/messages`)
            .send({ to: '+525512345678', text: `queued ${i}` })
            .expect(202)
        ).body.id,
      );
    await t.app.get(OutboundWorker).idle();
    const run = t.run;
    await t.close({ keepDatabases: true });

    t = await startTestApp(ENV, run);
    for (const id of ids) expect((await t.admin('get', `${base}/messages/${id}`)).body.status).toBe('queued');
    await t.admin('post', `${base}/start`).expect(202);
    await t.app.get(SessionSupervisor).whenResumed();
    await until(async () => {
      const statuses = await Promise.all(ids.map(async (id) => (await t.admin('get', `${base}/messages/${id}`)).body.status));
      return statuses.every((status) => status === 'sent');
    });
    const sent = t.app.get(SimulatorAdapter).sent.map((s) => s.to);
    expect(sent).toHaveLength(5);
    const texts = (await t.admin('get', `${base}/chats/${encodeURIComponent('+525512345678')}/messages?limit=10`).expect(200)).body.items.map(
      (m: { text: string }) => m.text,
    );
    expect(texts.sort()).toEqual(['queued 0', 'queued 1', 'queued 2', 'queued 3', 'queued 4']);
  });
});
