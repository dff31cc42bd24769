import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { getConnectionToken } from '@nestjs/mongoose';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { CommandMonitor } from '../../src/core/database/command-monitor';
import { createHttpApp } from '../../src/core/http/http-app';
import { useLiveStreamAdapter } from '../../src/live/use-live-stream-adapter';
import { TenantConnectionPool } from '../../src/tenancy/tenant-connection-pool.service';
import { CompaniesService } from '../../src/tenancy/companies.service';
import { recordQueries } from './query-audit/recorder';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef';

/** The environment before any test app changed it: each app starts from it, so overrides never leak. */
const baseline = { ...process.env };

function resetEnvironment(values: Record<string, string>): void {
  for (const name of Object.keys(process.env)) if (!(name in baseline)) delete process.env[name];
  Object.assign(process.env, baseline, values);
}

export interface TestApp {
  /** Names this app's databases; pass it to `startTestApp` to boot another instance on the same data. */
  run: string;
  app: NestFastifyApplication;
  /** `http://127.0.0.1:<port>` of this app's server. */
  origin: string;
  http: () => ReturnType<typeof request>;
  admin: (method: 'get' | 'post' | 'patch' | 'delete', path: string) => request.Test;
  as: (key: string, method: 'get' | 'post' | 'patch' | 'delete', path: string) => request.Test;
  createCompanyKey: (company: string) => Promise<string>;
  /** Shuts the app down and drops its databases, unless they are kept for a restart. */
  close: (options?: { keepDatabases?: boolean }) => Promise<void>;
}

/**
 * Boots the real application (production HTTP pipeline, real database server) on fresh databases
 * named for this test file. `env` overrides configuration for this app only.
 */
export async function startTestApp(env: Record<string, string> = {}, reuseRun?: string): Promise<TestApp> {
  const run = reuseRun ?? `t${randomBytes(4).toString('hex')}`;
  resetEnvironment({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    ADMIN_API_KEY: ADMIN_KEY,
    CONTROL_DB_NAME: `${run}_control`,
    TENANT_DB_PREFIX: `${run}_`,
    MIGRATE_ON_BOOT: 'true',
    RATE_LIMIT_PER_MINUTE: '100000',
    MONGODB_MONITOR_COMMANDS: 'true',
    // The Jest process hosting this app holds every test file it ran (one worker on two cores): its RSS is
    // not this service's, and past 85 % of the default limit session starts were refused (MEMORY_LIMIT).
    MEMORY_LIMIT_MB: '65536',
    ...env,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  recordQueries(moduleRef.get(CommandMonitor), { control: process.env.CONTROL_DB_NAME!, tenantPrefix: process.env.TENANT_DB_PREFIX! });
  const app = await createHttpApp((adapter, options) => moduleRef.createNestApplication<NestFastifyApplication>(adapter, options), { logger: false });
  await useLiveStreamAdapter(app);
  await app.init();
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer();
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const as = (key: string, method: 'get' | 'post' | 'patch' | 'delete', path: string) => request(server)[method](path).set('X-API-Key', key);
  return {
    run,
    app,
    origin,
    http: () => request(server),
    admin: (method, path) => as(ADMIN_KEY, method, path),
    as,
    createCompanyKey: async (company) => {
      const response = await as(ADMIN_KEY, 'post', `/api/v1/companies/${company}/api-keys`).send({ name: 'test' }).expect(201);
      return response.body.key as string;
    },
    close: async (options = {}) => {
      if (options.keepDatabases) return app.close();
      const databases = [`${run}_control`, ...(await app.get(CompaniesService).list()).filter((c) => !c.cluster).map((c) => c.dbName)];
      const control = app.get<Connection>(getConnectionToken());
      await Promise.allSettled(databases.map((name) => control.useDb(name).dropDatabase()));
      await app.close();
    },
  };
}

export { TenantConnectionPool };
