import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { Client } from 'whatsapp-web.js';
import type { ProviderEvent } from '../src/providers/provider-events';
import type { ProviderClient } from '../src/providers/provider.port';
import { GridFsSessionStore, WWEBJS_AUTH_BUCKET } from '../src/providers/whatsapp-web/gridfs-session.store';
import { GuardedRemoteAuth } from '../src/providers/whatsapp-web/guarded-remote-auth';
import { sessionPathsFor } from '../src/providers/whatsapp-web/whatsapp-web-session-paths';
import { WhatsappWebAdapter } from '../src/providers/whatsapp-web/whatsapp-web.adapter';
import type { CompanyRecord } from '../src/tenancy/company';
import { CompaniesService } from '../src/tenancy/companies.service';
import { TenantConnectionPool } from '../src/tenancy/tenant-connection-pool.service';
import { settleEventLoop, until } from './support/until';
import { startTestApp, type TestApp } from './support/test-app';

const run = randomBytes(3).toString('hex');

/** Live processes whose command line contains `marker` (zombies have an empty one). Independent of the code under test. */
async function processesWith(marker: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(marker)) pids.push(Number(entry));
  }
  return pids;
}

/** Whether `check` came true within `timeoutMs` (the shared poller, answering instead of throwing). */
function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  return until(check, { timeoutMs, intervalMs: 100 }).then(
    () => true,
    () => false,
  );
}

/** Polls up to 5 s for every process carrying `marker` to be gone; resolves with those left. */
async function leftovers(marker: string): Promise<number[]> {
  await waitUntil(async () => (await processesWith(marker)).length === 0, 5_000);
  return processesWith(marker);
}

function recorder() {
  const events: ProviderEvent[] = [];
  return {
    events,
    emit: async (event: ProviderEvent) => void events.push(event),
    async next<T extends ProviderEvent['type']>(type: T, timeoutMs: number): Promise<Extract<ProviderEvent, { type: T }> | undefined> {
      await waitUntil(async () => events.some((e) => e.type === type), timeoutMs);
      return events.find((e): e is Extract<ProviderEvent, { type: T }> => e.type === type);
    },
  };
}

/** Accepts TLS connections and never answers: the page load stalls, so the browser stays up until stopped. */
async function stallingServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('whatsapp-web provider (real Chromium, real database, no WhatsApp)', () => {
  let t: TestApp;
  let adapter: WhatsappWebAdapter;
  let pool: TenantConnectionPool;
  let acme: CompanyRecord;
  let other: CompanyRecord;
  let stall: Awaited<ReturnType<typeof stallingServer>>;
  let tempRoot: string;
  const started: ProviderClient[] = [];

  beforeAll(async () => {
    t = await startTestApp({ CHROMIUM_HOST_RESOLVER_RULES: 'MAP * ~NOTFOUND' });
    adapter = t.app.get(WhatsappWebAdapter);
    pool = t.app.get(TenantConnectionPool);
    const companies = t.app.get(CompaniesService);
    acme = await companies.create({ slug: `wwa-${run}`, displayName: 'Acme', provider: 'whatsapp-web' });
    other = await companies.create({ slug: `wwb-${run}`, displayName: 'Other', provider: 'whatsapp-web' });
    stall = await stallingServer();
    tempRoot = await mkdtemp(join(tmpdir(), 'wwebjs-e2e-'));
  });

  afterAll(async () => {
    await Promise.allSettled(started.map((client) => client.stop()));
    await stall?.close();
    await t?.close();
    if (tempRoot) await rm(tempRoot, { recursive: true, force: true });
  });

  const stalledRules = () => `MAP web.whatsapp.com 127.0.0.1:${stall.port}, MAP * ~NOTFOUND`;
  const storedFiles = (company: CompanyRecord, filename: string) =>
    pool.contextFor(company).run((db) => db.collection(`${WWEBJS_AUTH_BUCKET}.files`).countDocuments({ filename }));

  describe('GridFS session store', () => {
    it('saves the zip RemoteAuth wrote, extracts identical bytes, keeps one version, and deletes', async () => {
      const paths = sessionPathsFor({ company: acme, name: 'store' }, tempRoot);
      const otherPaths = sessionPathsFor({ company: other, name: 'store' }, tempRoot);
      const store = new GridFsSessionStore(pool.contextFor(acme), paths.dataPath);
      const otherStore = new GridFsSessionStore(pool.contextFor(other), otherPaths.dataPath);
      const session = paths.sessionName;
      // RemoteAuth.compressSession writes `<dataPath>/<sessionName>.zip`, then calls save({ session: sessionName }).
      const zipAt = (dataPath: string, name: string) => join(dataPath, `${name}.zip`);
      await mkdir(paths.dataPath, { recursive: true });
      await mkdir(otherPaths.dataPath, { recursive: true });
      const first = randomBytes(600 * 1024);
      const second = randomBytes(300 * 1024);

      expect(await store.sessionExists({ session })).toBe(false);
      await writeFile(zipAt(otherPaths.dataPath, otherPaths.sessionName), randomBytes(1024));
      await otherStore.save({ session: otherPaths.sessionName });

      await writeFile(zipAt(paths.dataPath, session), first);
      await store.save({ session });
      expect(await store.sessionExists({ session })).toBe(true);
      const extracted = join(tempRoot, 'extracted.zip');
      await store.extract({ session, path: extracted });
      expect((await readFile(extracted)).equals(first)).toBe(true);

      await writeFile(zipAt(paths.dataPath, session), second);
      await store.save({ session });
      expect(await storedFiles(acme, `${session}.zip`)).toBe(1);
      await store.extract({ session, path: extracted });
      expect((await readFile(extracted)).equals(second)).toBe(true);

      await store.delete({ session });
      expect(await store.sessionExists({ session })).toBe(false);
      expect(await storedFiles(acme, `${session}.zip`)).toBe(0);
      expect(await pool.contextFor(acme).run((db) => db.collection(`${WWEBJS_AUTH_BUCKET}.chunks`).countDocuments())).toBe(0);
      expect(await otherStore.sessionExists({ session: otherPaths.sessionName })).toBe(true);
    });

    it('round-trips a browser profile through the real RemoteAuth backup and restore', async () => {
      const paths = sessionPathsFor({ company: acme, name: 'contract' }, tempRoot);
      const store = new GridFsSessionStore(pool.contextFor(acme), paths.dataPath);
      const auth = new GuardedRemoteAuth({
        clientId: paths.clientId,
        dataPath: paths.dataPath,
        store,
        backupSyncIntervalMs: 60_000,
        signal: new AbortController().signal,
        logger: new Logger('whatsapp-web.e2e'),
      });
      auth.setup({ options: { puppeteer: {} }, emit: () => true } as unknown as Client);
      await auth.beforeBrowserInitialized();
      const profileFile = join(paths.userDataDir, 'Default', 'Local Storage', 'leveldb', '000003.log');
      const profile = randomBytes(64 * 1024);
      await mkdir(join(profileFile, '..'), { recursive: true });
      await writeFile(profileFile, profile);

      await auth.backupNow();
      expect(await store.sessionExists({ session: paths.sessionName })).toBe(true);
      expect(await readdir(paths.dataPath)).toEqual([paths.sessionName]);

      await rm(paths.dataPath, { recursive: true, force: true });
      await auth.beforeBrowserInitialized();
      expect((await readFile(profileFile)).equals(profile)).toBe(true);
      await auth.logout();
      expect(await store.sessionExists({ session: paths.sessionName })).toBe(false);
    });
  });

  describe('Chromium lifecycle', () => {
    it('fails fast offline, reports a retryable disconnect, and leaves no Chromium behind', async () => {
      const events = recorder();
      const client = adapter.createClient({ company: acme, name: 'offline' }, events.emit);
      started.push(client);
      const marker = sessionPathsFor({ company: acme, name: 'offline' }).userDataDir;
      const startedAt = Date.now();
      await client.start();
      const disconnected = await events.next('disconnected', 20_000);
      expect(disconnected).toEqual({ type: 'disconnected', reason: expect.stringContaining('net::ERR_NAME_NOT_RESOLVED'), retryable: true });
      expect(Date.now() - startedAt).toBeLessThan(15_000);
      await client.stop();
      expect(await leftovers(marker)).toEqual([]);
      expect(events.events.map((e) => e.type)).toEqual(['disconnected']);
    });

    it('stop() kills the whole tree of a browser that is still loading', async () => {
      const client = adapter.clientFor({ company: acme, name: 'stalled' }, async () => undefined, { hostResolverRules: stalledRules() });
      started.push(client);
      await client.start();
      expect(await waitUntil(async () => (await processesWith(client.userDataDir)).length >= 3, 20_000)).toBe(true);
      await client.stop();
      expect(await leftovers(client.userDataDir)).toEqual([]);
      expect(adapter.liveCount()).toBe(0);
    });

    it('stop() right after start() leaves no Chromium behind', async () => {
      const events = recorder();
      const client = adapter.clientFor({ company: acme, name: 'hasty' }, events.emit, { hostResolverRules: stalledRules() });
      started.push(client);
      await client.start();
      await client.stop();
      expect(await leftovers(client.userDataDir)).toEqual([]);
      await settleEventLoop();
      expect(events.events).toEqual([]);
    });

    it('start() first kills a browser a crashed process left on the session profile', async () => {
      const client = adapter.clientFor({ company: acme, name: 'orphaned' }, async () => undefined, { hostResolverRules: stalledRules() });
      started.push(client);
      const orphan = spawn(
        '/usr/bin/chromium',
        ['--headless', '--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP * ~NOTFOUND', `--user-data-dir=${client.userDataDir}`, 'about:blank'],
        { detached: true, stdio: 'ignore' },
      );
      orphan.unref();
      expect(await waitUntil(async () => (await processesWith(client.userDataDir)).length >= 3, 20_000)).toBe(true);
      const orphanPids = await processesWith(client.userDataDir);
      await client.start();
      const replaced = async () => {
        const pids = await processesWith(client.userDataDir);
        return pids.length >= 3 && pids.every((pid) => !orphanPids.includes(pid));
      };
      expect(await waitUntil(replaced, 20_000)).toBe(true);
      await client.stop();
      expect(await leftovers(client.userDataDir)).toEqual([]);
    });

    it('starts and stops 3 clients concurrently with zero leftover processes', async () => {
      const clients = ['one', 'two', 'three'].map((name) =>
        adapter.clientFor({ company: other, name }, async () => undefined, { hostResolverRules: stalledRules() }),
      );
      started.push(...clients);
      await Promise.all(clients.map((client) => client.start()));
      for (const client of clients) {
        expect(await waitUntil(async () => (await processesWith(client.userDataDir)).length >= 3, 20_000)).toBe(true);
      }
      await Promise.all(clients.map((client) => client.stop()));
      for (const client of clients) expect(await leftovers(client.userDataDir)).toEqual([]);
      expect(await leftovers(other.slug)).toEqual([]);
      expect(adapter.liveCount()).toBe(0);
    });
  });
});
