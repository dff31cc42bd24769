import { until } from '../../test/support/until';
import type { SessionsConfig } from '../core/config/configuration';
import type { SessionLeases } from './session-leases';
import type { OwnedSession } from './session-lease.repository';
import type { SessionManager } from './session-manager.service';
import { SessionOwnerSync } from './session-owner-sync';
import type { SessionRuntime } from './session-runtime';
import type { SessionsRepository } from './sessions.repository';

const runtime = (key: string, token: number) => ({ key, lease: { owner: 'me', token }, status: 'WORKING' }) as unknown as SessionRuntime;

/** The manager and leases as the sync sees them; `renew` answers whatever the test hands it. */
function setup(renew: () => Promise<OwnedSession[]>, msUntilUnsafe: number, held = [runtime('acme:one', 1), runtime('acme:two', 2)]) {
  const yielded: string[] = [];
  const manager = {
    all: () => held,
    runtimeByKey: (key: string) => held.find((r) => r.key === key),
    yieldLost: async (r: SessionRuntime) => void yielded.push(r.key),
    revokeNow: async (r: SessionRuntime) => void yielded.push(r.key),
  } as unknown as SessionManager;
  const leases = {
    renew,
    msUntilUnsafe: () => msUntilUnsafe,
    expiredLocally: () => msUntilUnsafe <= 0,
    releaseById: async () => undefined,
  } as unknown as SessionLeases;
  const sync = new SessionOwnerSync(manager, leases, {} as SessionsRepository, { lease: { renewMs: 10 } } as SessionsConfig);
  return { sync, yielded };
}

describe('SessionOwnerSync', () => {
  it('drops the clients it holds when a renewal is still unanswered as their leases run out', async () => {
    let answer!: (owned: OwnedSession[]) => void;
    const { sync, yielded } = setup(() => new Promise((resolve) => (answer = resolve)), 20);

    const renewal = sync.renew();
    await until(() => yielded.length === 2, { timeoutMs: 5_000, what: 'both clients dropped' });
    expect(yielded.sort()).toEqual(['acme:one', 'acme:two']);

    answer([]);
    await renewal;
  });

  it('drops only the leases the hung renewal was for: not a session stopped or claimed again meanwhile', async () => {
    let answer!: (owned: OwnedSession[]) => void;
    const [stopped, reclaimed, kept] = [runtime('acme:stopped', 1), runtime('acme:reclaimed', 2), runtime('acme:kept', 3)];
    const { sync, yielded } = setup(() => new Promise((resolve) => (answer = resolve)), 50, [stopped, reclaimed, kept]);

    const renewal = sync.renew();
    stopped.lease = undefined;
    reclaimed.lease = { owner: 'me', token: 4 } as SessionRuntime['lease'];
    await until(() => yielded.length > 0, { timeoutMs: 5_000, what: 'the watchdog' });
    expect(yielded).toEqual(['acme:kept']);

    answer([]);
    await renewal;
  });

  it('keeps them when the renewal answers in time and still lists them', async () => {
    const owned: OwnedSession[] = [
      { id: 'acme:one', token: 1, desired: 'running' },
      { id: 'acme:two', token: 2, desired: 'running' },
    ];
    const { sync, yielded } = setup(async () => owned, 60_000);

    await sync.renew();

    expect(yielded).toEqual([]);
  });
});
