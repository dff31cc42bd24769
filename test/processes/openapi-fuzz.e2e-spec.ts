import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import mongoose from 'mongoose';
import request from 'supertest';
import { buildService, freePort, removeBuild, ServiceProcess } from '../support/service-process';
import { until } from '../support/until';

const ADMIN = 'openapi-fuzz-admin-key-0123456789abcdef';
const SCHEMATHESIS = resolve('.tools/venv/bin/schemathesis');
const CONFIG = resolve('test/processes/schemathesis.toml');
/** Not a server error, only documented statuses, and schema-valid requests accepted (allowances in CONFIG). */
const CHECKS = 'not_a_server_error,status_code_conformance,positive_data_acceptance';

interface Run {
  code: number;
  output: string;
}

function schemathesis(args: string[], cwd: string): Promise<Run> {
  return new Promise((done) => {
    execFile(SCHEMATHESIS, args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

/**
 * schemathesis (PyPI, 4.32.5) fuzzes the published OpenAPI document of the built service: every operation with
 * deterministic examples, coverage and fuzzing cases. Any server error, undocumented status or schema-valid
 * request rejected fails the test, with schemathesis' report (and a curl command per finding) as the message.
 */
describe('OpenAPI fuzzing (schemathesis against the built service)', () => {
  let dir: string;
  let work: string;
  let service: ServiceProcess;
  let db: mongoose.Connection;
  const run = `f${Date.now().toString(36)}`;
  const admin = (method: 'get' | 'post', path: string) => request(service.url)[method](path).set('X-API-Key', ADMIN);

  beforeAll(async () => {
    if (!existsSync(SCHEMATHESIS)) throw new Error(`${SCHEMATHESIS} is missing: run scripts/toolchain.sh (ensure_schemathesis)`);
    dir = await buildService('fuzz');
    work = mkdtempSync(join(tmpdir(), 'vv-fuzz-'));
    db = await mongoose.createConnection(process.env.MONGODB_URI!).asPromise();
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      // Errors only: a server error's stack is then in the failure message.
      LOG_LEVEL: 'error',
      ADMIN_API_KEY: ADMIN,
      CONTROL_DB_NAME: `${run}_control`,
      TENANT_DB_PREFIX: `${run}_`,
      SESSIONS_PROVIDER_OVERRIDE: 'simulator',
      // The fuzzer's requests are not what the per-key limit is about; 429 is documented all the same.
      RATE_LIMIT_PER_MINUTE: '1000000',
      MEMORY_LIMIT_MB: '65536',
    };
    service = ServiceProcess.node(dir, env, `http://127.0.0.1:${port}`);
    await service.start();

    // The company and running session that schemathesis.toml names for every {company} and {session}.
    await admin('post', '/api/v1/companies').send({ slug: 'fuzz', displayName: 'Fuzz', provider: 'baileys' }).expect(201);
    // The company whose settings schemathesis.toml lets PATCH change at random (caps of one operation and no queue
    // would turn the fuzzer's later requests to 'fuzz' away with 503 TENANT_BUSY, as configured).
    await admin('post', '/api/v1/companies').send({ slug: 'fuzz-settings', displayName: 'Fuzz settings', provider: 'baileys' }).expect(201);
    await admin('post', '/api/v1/companies/fuzz/sessions').send({ name: 'main' }).expect(201);
    await admin('post', '/api/v1/companies/fuzz/sessions/main/start').expect(202);
    await until(async () => (await admin('get', '/api/v1/companies/fuzz/sessions/main')).body.status === 'SCAN_QR', { what: 'the session showing a QR' });
    await admin('post', '/simulator/companies/fuzz/sessions/main/scan').expect(204);
    await until(async () => (await admin('get', '/api/v1/companies/fuzz/sessions/main')).body.status === 'WORKING', { what: 'the session working' });
  }, 180_000);

  afterAll(async () => {
    await service?.kill('SIGKILL');
    const databases = ['control', 'fuzz', 'fuzz_settings', 'mitsubishi', 'diocsa', 'simple_green', 'quicklearning'].map((name) => `${run}_${name}`);
    await Promise.all(
      databases.map((name) =>
        db
          ?.useDb(name)
          .dropDatabase()
          .catch(() => undefined),
      ),
    );
    await db?.close();
    if (work) rmSync(work, { recursive: true, force: true });
    if (dir) removeBuild(dir);
  });

  it('finds no server error, no undocumented status and no schema-valid request refused', async () => {
    const result = await schemathesis(
      [
        '--config-file',
        CONFIG,
        'run',
        `${service.url}/docs-json`,
        '--header',
        `X-API-Key: ${ADMIN}`,
        '--checks',
        CHECKS,
        '--phases',
        'examples,coverage,fuzzing',
      ],
      work,
    );
    if (result.code !== 0) throw new Error(`schemathesis exited with ${result.code}:\n${result.output}\n--- the service's error log:\n${service.recentOutput}`);
    // Every operation of the document was exercised (none skipped for want of a schema it could read).
    const [, selected, tested] = /Selected: (\d+)\/\d+\s+Tested: (\d+)/.exec(result.output) ?? [];
    expect(Number(tested)).toBeGreaterThan(30);
    expect(tested).toBe(selected);
    // Company settings were fuzzed on their own company, so "fuzz" kept its name and default caps throughout.
    const fuzz = (await admin('get', '/api/v1/companies/fuzz').expect(200)).body;
    expect({ displayName: fuzz.displayName, caps: fuzz.caps }).toEqual({ displayName: 'Fuzz', caps: {} });
  }, 180_000);
});
