import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { EmbeddedFerretDb } from '../../src/core/database/embedded-ferretdb';
import { InboundIntake } from '../../src/ingest/inbound-intake.service';
import { SimulatorAdapter } from '../../src/providers/simulator/simulator.adapter';
import { CompaniesService } from '../../src/tenancy/companies.service';
import { FloodSource } from '../support/flood-source';
import { freePort } from '../support/service-process';
import { SimulatedWhatsapp } from '../support/simulated-whatsapp';
import { ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { until } from '../support/until';

const COMPANIES = ['mitsubishi', 'diocsa'];
const OUTAGE_MS = 10_000;
const senders = (c: number) => Array.from({ length: 8 }, (_, i) => `+5255${String(60_000_000 + c * 100 + i)}`);

describe('the database stops for 10 s during a flood (a FerretDB of its own)', () => {
  let dataDir: string;
  let port: number;
  let database: EmbeddedFerretDb;
  let t: TestApp;
  const binary = process.env.FERRETDB_BIN ?? '.tools/bin/ferretdb';
  const startDatabase = async () => (database = await EmbeddedFerretDb.start({ binary, dataDir, port }));

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'vv-outage-'));
    port = await freePort();
    await startDatabase();
    t = await startTestApp({
      MONGODB_URI: database.uri,
      SESSIONS_PROVIDER_OVERRIDE: 'simulator',
      MONGO_SERVER_SELECTION_TIMEOUT_MS: '2000',
      INGEST_ACK_TIMEOUT_MS: '1000',
      INGEST_BUFFER_PER_COMPANY: '200',
      HEALTH_DB_PING_TIMEOUT_MS: '500',
    });
    for (const slug of COMPANIES) {
      await t.admin('post', `/api/v1/companies/${slug}/sessions`).send({ name: 'main' }).expect(201);
      await t.app.get(SimulatorAdapter).link(await t.app.get(CompaniesService).get(slug), 'main');
      await t.admin('post', `/api/v1/companies/${slug}/sessions/main/start`).expect(202);
      await until(async () => (await t.admin('get', `/api/v1/companies/${slug}/sessions/main`)).body.status === 'WORKING', { what: `${slug} working` });
    }
  });

  afterAll(async () => {
    await t?.close();
    await database?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses no acknowledged message, refuses while it cannot store, and takes messages again within 2 s of the database returning', async () => {
    const whatsapp = new SimulatedWhatsapp(t.origin, ADMIN_KEY);
    const sources = COMPANIES.map((slug, c) => new FloodSource(whatsapp, slug, 'main', senders(c)));
    sources.forEach((source) => source.start());
    const acknowledged = () => sources.reduce((sum, source) => sum + source.stats.acknowledged.size, 0);
    await until(() => acknowledged() >= 100, { what: '100 acknowledged before the outage' });

    // Killed, not stopped gracefully: during FerretDB's 3 s graceful shutdown the driver's server monitor
    // sometimes starts a check that never completes, and the client then never selects the server again.
    await database.kill();
    const refusalsBefore = sources.reduce((sum, source) => sum + source.stats.refusals, 0);
    const acknowledgedAtStop = acknowledged();
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    const refusedDuringOutage = sources.reduce((sum, source) => sum + source.stats.refusals, 0) - refusalsBefore;
    // A message may have been acknowledged while the server was stopping; none after.
    const acknowledgedDuringOutage = acknowledged() - acknowledgedAtStop;
    // Operators see which companies' writes are stuck, and since when, before their buffers fill.
    const writeAgeSeconds: Record<string, number> = (await t.admin('get', '/health/ready')).body.details.ingest.writeAgeSeconds;
    const metricsDuringOutage = (await t.http().get('/metrics')).text;
    await startDatabase();
    const returnedAt = Date.now();

    await until(() => sources.some((source) => source.stats.storedAt.some((at) => at >= returnedAt)), { what: 'a message stored after the database returned' });
    const resumedAfterMs = Math.min(...sources.flatMap((source) => source.stats.storedAt.filter((at) => at >= returnedAt))) - returnedAt;
    await Promise.all(sources.map((source) => source.drain()));

    expect(refusedDuringOutage).toBeGreaterThan(0);
    expect(acknowledgedDuringOutage).toBeLessThanOrEqual(5 * COMPANIES.length);
    expect(resumedAfterMs).toBeLessThanOrEqual(2_000);
    expect(Object.keys(writeAgeSeconds).sort()).toEqual([...COMPANIES].sort());
    for (const seconds of Object.values(writeAgeSeconds)) expect(seconds).toBeGreaterThan(0);
    for (const slug of COMPANIES) expect(metricsDuringOutage).toMatch(new RegExp(`vv_ingest_write_age_seconds\\{company="${slug}"\\} [0-9.]+`));
    await t.app.get(InboundIntake).flushAll();
    for (const [c, slug] of COMPANIES.entries()) {
      const tenant = t.app.get<Connection>(getConnectionToken()).useDb(`${t.run}_${slug}`);
      const stored = new Set(
        (
          await tenant
            .collection('messages')
            .find({}, { projection: { providerMessageId: 1 } })
            .toArray()
        ).map((m) => m.providerMessageId as string),
      );
      const { sent, acknowledged: acked } = sources[c].stats;
      expect(acked.size).toBe(sent.size);
      expect([...acked].filter((id) => !stored.has(id))).toEqual([]);
      expect(stored.size).toBe(sent.size);
      expect(await tenant.collection('messages').countDocuments({})).toBe(sent.size);
      await until(
        async () =>
          (await tenant.collection('whatsappchats').countDocuments({})) === senders(c).length &&
          (await tenant.collection('records').countDocuments({ tableSlug: 'prospectos' })) === senders(c).length,
        {
          what: `${slug} chats and prospects`,
        },
      );
    }
  }, 120_000);
});
