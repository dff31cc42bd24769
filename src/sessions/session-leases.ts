import { Inject, Injectable } from '@nestjs/common';
import { sessionsConfig, type SessionsConfig } from '../core/config/configuration';
import { StaleOwnerError, type SessionFence } from '../providers/session-fence';
import { SessionLeaseRepository, type Lease, type OwnedSession } from './session-lease.repository';
import type { SessionRuntime } from './session-runtime';

/** This process's side of the session leases: its owner id, claims, renewals, releases and the fences handed to clients. */
@Injectable()
export class SessionLeases {
  readonly ownerId: string;
  /** When the last renewal succeeded; past the TTL without one, this process must assume it owns nothing. */
  private renewedAt = Date.now();

  constructor(
    private readonly repository: SessionLeaseRepository,
    @Inject(sessionsConfig.KEY) private readonly config: SessionsConfig,
  ) {
    this.ownerId = config.ownerId;
  }

  get ttlMs(): number {
    return this.config.lease.ttlMs;
  }

  claim(runtime: SessionRuntime): Promise<Lease | null> {
    return this.repository.claim(runtime.ref.company.slug, runtime.ref.name, this.ownerId, new Date(), this.ttlMs);
  }

  async release(runtime: SessionRuntime, lease: Lease): Promise<void> {
    await this.repository.release(runtime.ref.company.slug, runtime.ref.name, lease);
  }

  async releaseById(id: string, token: number): Promise<void> {
    const [company, name] = id.split(':');
    await this.repository.release(company, name, { owner: this.ownerId, token });
  }

  /** Renews every lease of this process; what it no longer owns is missing from the answer. */
  async renew(): Promise<OwnedSession[]> {
    const started = Date.now();
    const owned = await this.repository.renewAll(this.ownerId, new Date(started), this.ttlMs);
    this.renewedAt = started;
    return owned;
  }

  /**
   * How long the leases renewed last are surely still ours, less a safety margin (a quarter of the TTL, at most 5 s)
   * for clock skew between processes and for stopping a client: past it, another process may claim them.
   */
  msUntilUnsafe(now = Date.now()): number {
    return this.renewedAt + this.ttlMs - Math.min(this.ttlMs / 4, 5_000) - now;
  }

  /** True once no renewal has succeeded for that long: another process may own our sessions by now. */
  expiredLocally(now = Date.now()): boolean {
    return this.msUntilUnsafe(now) <= 0;
  }

  fenceFor(runtime: SessionRuntime, lease: Lease): SessionFence {
    const { company, name } = runtime.ref;
    return {
      owner: lease.owner,
      token: lease.token,
      assertCurrent: async () => {
        if (!(await this.repository.isCurrent(company.slug, name, lease))) throw new StaleOwnerError(`${company.slug}:${name}`, lease.token);
      },
    };
  }
}
