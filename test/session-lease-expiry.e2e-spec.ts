import { SimulatorAdapter } from '../src/providers/simulator/simulator.adapter';
import { SessionLeases } from '../src/sessions/session-leases';
import { SessionManager } from '../src/sessions/session-manager.service';
import { CompaniesService } from '../src/tenancy/companies.service';
import { startTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';

describe('a lease that runs out while its session is busy (simulator provider, real database)', () => {
  let t: TestApp;

  /** Lease renewals hang, as on an unreachable database, until `resume`: the hung one then fails and the next succeed. */
  function stallRenewals(): { resume: () => void } {
    let fail: (error: Error) => void = () => undefined;
    const renew = jest.spyOn(t.app.get(SessionLeases), 'renew').mockImplementation(() => new Promise((_, reject) => (fail = reject)));
    return {
      resume: () => {
        renew.mockRestore();
        fail(new Error('the database answered too late'));
      },
    };
  }

  /** A linked simulator session of diocsa, created and ready to start. */
  async function linkedSession(name: string): Promise<void> {
    await t.admin('post', '/api/v1/companies/diocsa/sessions').send({ name }).expect(201);
    await t.app.get(SimulatorAdapter).link(await t.app.get(CompaniesService).get('diocsa'), name);
  }

  beforeAll(async () => {
    t = await startTestApp({ SESSIONS_PROVIDER_OVERRIDE: 'simulator', SESSION_LEASE_TTL_MS: '2000', SESSION_LEASE_RENEW_MS: '500' });
  });
  afterAll(() => t.close());

  it('stops the client when the lease can no longer be trusted, even while an operation holds the session', async () => {
    const manager = t.app.get(SessionManager);
    const simulator = t.app.get(SimulatorAdapter);
    await linkedSession('busy');
    await t.admin('post', '/api/v1/companies/diocsa/sessions/busy/start').expect(202);
    await until(() => manager.runtime('diocsa', 'busy')?.status === 'WORKING', { what: 'the session working' });
    const runtime = manager.runtime('diocsa', 'busy')!;

    // An operation of the session stuck on the database (e.g. a status write), and renewals that never answer.
    let release!: () => void;
    const held = runtime.exclusive(() => new Promise<void>((resolve) => (release = resolve)));
    const renewals = stallRenewals();
    try {
      await until(() => !simulator.isRunning('diocsa', 'busy'), { timeoutMs: 15_000, what: 'the client stopped while the lock is held' });
      expect(runtime.lease).toBeUndefined();
    } finally {
      renewals.resume();
      release();
      await held;
    }
    await until(() => runtime.status === 'SUSPENDED', { what: 'the session recorded as yielded once its lock is free' });
    expect(simulator.isRunning('diocsa', 'busy')).toBe(false);
  });

  it('stops a client that comes up only after its lease was given up', async () => {
    const manager = t.app.get(SessionManager);
    const simulator = t.app.get(SimulatorAdapter);
    await linkedSession('slow');
    const releaseStart = simulator.holdNextStart();
    // The start answers once its client has come up, so it is awaited last.
    const starting = t.admin('post', '/api/v1/companies/diocsa/sessions/slow/start').then((response) => response.status);
    await until(() => manager.runtime('diocsa', 'slow')?.client !== undefined, { what: 'the client starting' });
    const runtime = manager.runtime('diocsa', 'slow')!;

    const renewals = stallRenewals();
    try {
      await until(() => runtime.lease === undefined, { timeoutMs: 15_000, what: 'the lease given up while the client starts' });
    } finally {
      renewals.resume();
      releaseStart();
    }
    expect(await starting).toBe(202);
    await until(() => runtime.status === 'SUSPENDED', { what: 'the session recorded as yielded' });
    await until(() => !simulator.isRunning('diocsa', 'slow'), { what: 'the late client stopped' });
  });
});
