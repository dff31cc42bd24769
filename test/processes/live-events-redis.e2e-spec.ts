import { spawn } from 'node:child_process';
import mongoose from 'mongoose';
import request from 'supertest';
import type { LoggedEvent } from '../../src/events/event-types';
import { connectLive, type LiveClient } from '../support/live-client';
import { RedisServer } from '../support/redis-server';
import { buildService, freePort, processTestEnvironment, removeBuild, serviceEntry, ServiceProcess } from '../support/service-process';
import { until } from '../support/until';

const ADMIN = 'live-redis-admin-key-0123456789abcdef';
const base = (company: string) => `/api/v1/companies/${company}`;
const ids = (client: LiveClient) => client.events.filter((e) => e.type === 'message.received').map((e) => e.data.providerMessageId);

describe('live stream across processes (built service, real redis-server, one database)', () => {
  let dir: string;
  let redis: RedisServer;
  let db: mongoose.Connection;
  const run = `l${Date.now().toString(36)}`;
  const processes: ServiceProcess[] = [];
  const clients: LiveClient[] = [];

  const environment = (port: number, owner: string): NodeJS.ProcessEnv =>
    processTestEnvironment(run, port, ADMIN, { SESSION_OWNER_ID: owner, RATE_LIMIT_PER_MINUTE: '100000', REDIS_URL: redis.url });

  async function spawnService(owner: string): Promise<ServiceProcess> {
    const port = await freePort();
    const service = ServiceProcess.node(dir, environment(port, owner), `http://127.0.0.1:${port}`);
    processes.push(service);
    await service.start();
    return service;
  }

  const call = (service: ServiceProcess, method: 'get' | 'post', path: string) => request(service.url)[method](path).set('X-API-Key', ADMIN);

  beforeAll(async () => {
    [dir, redis] = await Promise.all([buildService('live'), RedisServer.start()]);
    db = await mongoose.createConnection(process.env.MONGODB_URI!).asPromise();
  }, 120_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    for (const name of ['control', 'live_a', 'live_b'])
      await db
        .useDb(`${run}_${name}`)
        .dropDatabase()
        .catch(() => undefined);
    await db.close();
    await redis?.stop();
    removeBuild(dir);
  });

  it('delivers an event produced in one process to a client connected to the other', async () => {
    // The producer runs the sessions: it is alone when they start, so it holds their leases.
    const producer = await spawnService('producer');
    const keys: Record<string, string> = {};
    for (const slug of ['live-a', 'live-b']) {
      await call(producer, 'post', '/api/v1/companies').send({ slug, displayName: slug, provider: 'whatsapp-web' }).expect(201);
      await call(producer, 'post', `${base(slug)}/sessions`)
        .send({ name: 'one' })
        .expect(201);
      await call(producer, 'post', `${base(slug)}/sessions/one/start`).expect(202);
      await until(async () => (await call(producer, 'get', `${base(slug)}/sessions/one`)).body.status === 'SCAN_QR', { what: `${slug} SCAN_QR` });
      await call(producer, 'post', `/simulator/companies/${slug}/sessions/one/scan`).expect(204);
      keys[slug] = (
        await call(producer, 'post', `${base(slug)}/api-keys`)
          .send({ name: 'live' })
          .expect(201)
      ).body.key as string;
    }
    for (const slug of ['live-a', 'live-b'])
      await until(async () => (await call(producer, 'get', `${base(slug)}/sessions/one`)).body.status === 'WORKING', { what: `${slug} WORKING` });
    const listener = await spawnService('listener');

    const [a, b, local] = [
      await connectLive(listener.url, { apiKey: keys['live-a'] }),
      await connectLive(listener.url, { apiKey: keys['live-b'] }),
      await connectLive(producer.url, { apiKey: keys['live-a'] }),
    ];
    clients.push(a, b, local);
    const inbound = (slug: string, id: string) =>
      call(producer, 'post', `/simulator/companies/${slug}/sessions/one/inbound`)
        .send({ messages: [{ providerMessageId: id, from: '+525512349999', text: id }] })
        .expect(200);
    await inbound('live-a', 'a1');
    await inbound('live-b', 'b1');

    await until(() => ids(a).includes('a1'), { what: "a1 on the listener's socket of live-a" });
    await until(() => ids(b).includes('b1') && ids(local).includes('a1'), { what: "b1 on the listener, a1 on the producer's own socket" });
    // Each sent once the other company's were delivered: had a socket been sent the other's, it would hold it first.
    await inbound('live-a', 'a2');
    await until(() => ids(a).includes('a2'), { what: 'a2 after b1' });
    await inbound('live-b', 'b2');
    await until(() => ids(b).includes('b2'), { what: 'b2 after a2' });
    expect(ids(a)).toEqual(['a1', 'a2']);
    expect(ids(b)).toEqual(['b1', 'b2']);
    const [viaRedis] = a.events.filter((e) => e.data.providerMessageId === 'a1');
    expect(viaRedis).toEqual(local.events.find((e: LoggedEvent) => e.data.providerMessageId === 'a1'));
    // Only the producer appended, so only it broadcast: the listener's sockets were reached through Redis.
    const emitted = async (service: ServiceProcess) =>
      /vv_live_events_emitted_total\{company="live-a"\} [1-9]/.test((await request(service.url).get('/metrics')).text);
    expect(await emitted(producer)).toBe(true);
    expect(await emitted(listener)).toBe(false);

    // A clean shutdown closes the sockets and the Redis clients.
    expect(await listener.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    await until(() => a.socket.disconnected, { what: "the listener's sockets closed" });
  }, 180_000);

  it('refuses to start, naming REDIS_URL, when Redis cannot be reached', async () => {
    const [port, closed] = [await freePort(), await freePort()];
    const child = spawn(process.execPath, [serviceEntry(dir)], {
      env: { ...environment(port, 'no-redis'), REDIS_URL: `redis://127.0.0.1:${closed}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await until(() => child.exitCode !== null || child.signalCode !== null, { timeoutMs: 60_000, what: 'the process exited' });
    expect(await exited).toBe(1);
    expect(output).toContain(`REDIS_URL: cannot connect to redis://127.0.0.1:${closed}`);
  }, 90_000);
});
