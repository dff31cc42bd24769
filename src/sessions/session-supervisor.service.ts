import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { sessionsConfig, type SessionsConfig } from '../core/config/configuration';
import { CompaniesService } from '../tenancy/companies.service';
import { MemoryGuard } from './memory-guard';
import { SessionLeases } from './session-leases';
import { SessionManager } from './session-manager.service';
import { SessionOwnerSync } from './session-owner-sync';
import { SessionsRepository } from './sessions.repository';

/**
 * The session manager's clock: claims, at boot and then periodically, the sessions that should run and have
 * no live owner (as far as this process has room), renews this process's leases, sweeps idle, over-aged and
 * memory-pressed sessions, and on shutdown suspends every owned session and releases its lease.
 */
@Injectable()
export class SessionSupervisor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SessionSupervisor.name);
  private resuming: Promise<unknown> = Promise.resolve();
  private claimTimer?: NodeJS.Timeout;
  private renewTimer?: NodeJS.Timeout;
  private claiming?: Promise<number>;
  private stopped = false;

  constructor(
    private readonly manager: SessionManager,
    private readonly repository: SessionsRepository,
    private readonly companies: CompaniesService,
    private readonly memory: MemoryGuard,
    private readonly leases: SessionLeases,
    private readonly sync: SessionOwnerSync,
    @Inject(sessionsConfig.KEY) private readonly config: SessionsConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.resuming = this.resumeWhereRoom();
    this.claimTimer = setInterval(() => void this.resumeWhereRoom(), this.config.lease.claimIntervalMs);
    this.renewTimer = setInterval(() => void this.sync.renew(), this.config.lease.renewMs);
  }

  /** Resolves once the boot-time claim pass is done. */
  async whenResumed(): Promise<void> {
    await this.resuming;
  }

  /**
   * One claim pass: sessions that should run, have no live owner and are not idle, the longest-waiting first,
   * each claimed atomically if this process has room. Those it cannot take are marked SUSPENDED with the reason.
   */
  resumeWhereRoom(): Promise<number> {
    this.claiming ??= this.claimPass().finally(() => (this.claiming = undefined));
    return this.claiming;
  }

  private async claimPass(): Promise<number> {
    if (this.stopped) return 0;
    let claimed = 0;
    try {
      for (const record of await this.repository.listClaimable()) {
        if (this.stopped) break;
        if (record.status === 'STOPPED' || record.status === 'LOGGED_OUT' || record.status === 'FAILED') continue;
        const local = this.manager.runtime(record.company, record.name);
        if (local?.lease) continue;
        const outcome = await this.manager.start(await this.companies.get(record.company), record.name, { claimOnly: true });
        if (outcome === 'elsewhere') continue;
        if (outcome === 'STARTING' || outcome === 'SCAN_QR' || outcome === 'WORKING') claimed++;
        else if (record.status !== 'SUSPENDED') await this.markWaiting(record.company, record.name);
      }
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'session claim pass failed');
    }
    return claimed;
  }

  /** Truthful status: the session's last owner is gone and this process has no room for it. */
  private async markWaiting(company: string, name: string): Promise<void> {
    const reason = `no slot free in ${this.leases.ownerId}; waiting for a process with room`;
    await this.repository.updateUnowned(company, name, { status: 'SUSPENDED', reason });
  }

  @Interval('session-sweep', 60_000)
  async sweep(now = Date.now()): Promise<void> {
    for (const runtime of this.manager.active()) {
      if (runtime.status !== 'WORKING' || runtime.inFlightSends > 0) continue;
      if (now - runtime.lastActivityAt > this.config.idleTimeoutMs) {
        await this.manager.suspend(runtime, 'idle timeout', false, true);
      } else if (now - runtime.startedAt > this.config.maxLifetimeMs) {
        await this.manager.suspend(runtime, 'maximum lifetime reached; restarting');
        await this.manager.start(runtime.ref.company, runtime.ref.name).catch(() => undefined);
      }
    }
    if (this.memory.isCritical()) await this.relieveMemory();
  }

  /** Memory is critical: suspend the least recently active quarter of the working sessions. */
  async relieveMemory(): Promise<number> {
    const working = this.manager.active().filter((r) => r.status === 'WORKING' && r.inFlightSends === 0);
    const victims = working.sort((a, b) => a.lastActivityAt - b.lastActivityAt).slice(0, Math.max(1, Math.ceil(working.length / 4)));
    for (const runtime of victims) await this.manager.suspend(runtime, 'memory critical', true);
    if (victims.length > 0) this.logger.warn({ suspended: victims.length }, 'memory critical: suspended least active sessions');
    return victims.length;
  }

  /** Deploy handover: every owned session suspends (its client saving its auth state) and releases its lease. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.claimTimer);
    clearInterval(this.renewTimer);
    this.manager.refuseNewStarts();
    await this.claiming?.catch(() => undefined);
    const owned = this.manager.all().filter((runtime) => runtime.lease);
    await Promise.allSettled(owned.map((runtime) => this.manager.suspend(runtime, 'service shutting down; another process takes over')));
  }
}
