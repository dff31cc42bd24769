import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { InboundIntake } from '../src/ingest/inbound-intake.service';
import type { InboundMessage } from '../src/providers/provider-events';
import { SimulatorAdapter } from '../src/providers/simulator/simulator.adapter';
import { CompaniesService } from '../src/tenancy/companies.service';
import { TenantConnectionPool } from '../src/tenancy/tenant-connection-pool.service';
import { FloodSource } from './support/flood-source';
import { SimulatedWhatsapp } from './support/simulated-whatsapp';
import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';

const PUSHED = 600;
const senders = Array.from({ length: 12 }, (_, i) => `+5255${String(70_000_000 + i)}`);

describe('a flood through a per-company gate of 1 operation and a queue of 1', () => {
  let t: TestApp;
  const tenantDb = () => t.app.get<Connection>(getConnectionToken()).useDb(`${t.run}_mitsubishi`);

  beforeAll(async () => {
    t = await startTestApp({
      SESSIONS_PROVIDER_OVERRIDE: 'simulator',
      TENANT_MAX_CONCURRENT_OPS: '1',
      TENANT_OP_QUEUE_SIZE: '1',
      TENANT_OP_WAIT_TIMEOUT_MS: '200',
    });
    const company = await t.app.get(CompaniesService).get('mitsubishi');
    for (const name of ['pushed', 'acked']) {
      await t.admin('post', '/api/v1/companies/mitsubishi/sessions').send({ name }).expect(201);
      await t.app.get(SimulatorAdapter).link(company, name);
      await t.admin('post', `/api/v1/companies/mitsubishi/sessions/${name}/start`).expect(202);
      await until(async () => (await t.admin('get', `/api/v1/companies/mitsubishi/sessions/${name}`)).body.status === 'WORKING', { what: `${name} working` });
    }
  });
  afterAll(() => t.close());

  it('stores every message of a pushing source and of a redelivering one, and their chats and prospects, though the gate turns operations away', async () => {
    const simulator = t.app.get(SimulatorAdapter);
    const whatsapp = new SimulatedWhatsapp(t.origin, ADMIN_KEY);
    const acked = new FloodSource(whatsapp, 'mitsubishi', 'acked', senders, 10);
    acked.start();
    // Readers compete for the single slot too, as the REST API would.
    const readers = Array.from({ length: 4 }, async () => {
      for (let i = 0; i < 40; i++) await t.admin('get', '/api/v1/companies/mitsubishi/sessions/acked/chats').then(() => undefined);
    });
    for (let i = 0; i < PUSHED; i++) {
      const message: InboundMessage = {
        providerMessageId: `push-${i}`,
        from: senders[i % senders.length],
        to: '+10000000000',
        text: `p${i}`,
        timestamp: new Date(),
      };
      simulator.inject('mitsubishi', 'pushed', { type: 'message', message });
    }
    await until(() => acked.stats.acknowledged.size >= 300, { what: '300 acknowledged', timeoutMs: 60_000 });
    await Promise.all([acked.drain(), ...readers]);
    await t.app.get(InboundIntake).flushAll();

    const gate = t.app.get(TenantConnectionPool).stats(await t.app.get(CompaniesService).get('mitsubishi'));
    expect(gate.rejected).toBeGreaterThan(0);
    const messages = tenantDb().collection('messages');
    await until(async () => (await messages.countDocuments({ 'session.name': 'pushed' })) === PUSHED, { what: 'every pushed message stored' });
    expect(await messages.countDocuments({ 'session.name': 'acked' })).toBe(acked.stats.sent.size);
    expect(acked.stats.acknowledged.size).toBe(acked.stats.sent.size);
    await until(async () => (await tenantDb().collection('whatsappchats').countDocuments({})) === 2 * senders.length, { what: 'chats of both sessions' });
    await until(async () => (await tenantDb().collection('records').countDocuments({ tableSlug: 'prospectos' })) === senders.length, {
      what: 'one prospect per sender',
    });
  }, 120_000);
});
