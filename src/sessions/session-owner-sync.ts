import { Inject, Injectable, Logger } from '@nestjs/common';
import { sessionsConfig, type SessionsConfig } from '../core/config/configuration';
import { SessionLeases } from './session-leases';
import { SessionManager } from './session-manager.service';
import type { SessionRuntime } from './session-runtime';
import { SessionsRepository, hasLiveOwner } from './sessions.repository';

const POLL_MS = 100;

/**
 * Keeps the owner and the database in step: renews this process's leases, drops the clients whose lease
 * moved elsewhere (or could have), and carries out what other processes recorded for the sessions it owns
 * (stop, logout, a pairing-code request).
 */
@Injectable()
export class SessionOwnerSync {
  private readonly logger = new Logger(SessionOwnerSync.name);
  private renewing?: Promise<void>;

  constructor(
    private readonly manager: SessionManager,
    private readonly leases: SessionLeases,
    private readonly repository: SessionsRepository,
    @Inject(sessionsConfig.KEY) private readonly config: SessionsConfig,
  ) {}

  renew(): Promise<void> {
    this.renewing ??= this.renewOnce().finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  private async renewOnce(): Promise<void> {
    const held = this.manager.all().filter((runtime) => runtime.lease);
    const watchdog = this.stopBeforeExpiry(held);
    try {
      const owned = new Map((await this.leases.renew()).map((session) => [session.id, session]));
      // Leases the database says are ours that this process does not run: left by an earlier process with the same
      // owner id, or dropped here when a renewal came too late. Give them back rather than keep them alive unrun.
      for (const [id, session] of owned) {
        const local = this.manager.runtimeByKey(id);
        if (!local || (!local.lease && local.status === 'SUSPENDED')) await this.leases.releaseById(id, session.token);
      }
      for (const runtime of held) {
        // Dropped meanwhile (by the expiry watchdog, or stopped): nothing left to reconcile.
        if (!runtime.lease) continue;
        const mine = owned.get(runtime.key);
        if (!mine || mine.token !== runtime.lease?.token) await this.manager.yieldLost(runtime);
        else if (mine.desired === 'stopped')
          await (mine.logoutRequested ? this.manager.logout : this.manager.stop).call(this.manager, runtime.ref.company, runtime.ref.name);
        else if (mine.pairingPhone) await this.answerPairing(runtime, mine.pairingPhone);
      }
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'lease renewal failed');
      // Without a renewal for a whole TTL, another process may have taken over: stop fighting for the device.
      if (this.leases.expiredLocally()) await Promise.all(held.filter((runtime) => runtime.lease).map((runtime) => this.manager.revokeNow(runtime)));
    } finally {
      clearTimeout(watchdog);
    }
  }

  /**
   * A renewal that has not come back (a slow or unreachable database) must not leave clients running past the
   * point where another process may claim their sessions: one device never runs in two processes. So the clients
   * held when the renewal started are dropped at that point unless it has answered by then.
   */
  private stopBeforeExpiry(held: SessionRuntime[]): NodeJS.Timeout {
    const leases = new Map(held.map((runtime) => [runtime, runtime.lease]));
    const timer = setTimeout(
      () => {
        this.logger.warn({ sessions: held.length }, 'lease renewal still unanswered as the leases run out; clients dropped');
        // Only the leases this renewal was for: a session stopped meanwhile, or claimed again since, is left alone.
        for (const runtime of held) if (runtime.lease && runtime.lease === leases.get(runtime)) void this.manager.revokeNow(runtime);
      },
      Math.max(0, this.leases.msUntilUnsafe()),
    );
    timer.unref();
    return timer;
  }

  private async answerPairing(runtime: SessionRuntime, phone: string): Promise<void> {
    await this.manager.requestPairingCode(runtime.ref.company, runtime.ref.name, phone).catch((error: Error) => {
      this.logger.warn({ session: runtime.key, err: error.message }, 'pairing code request failed');
      return this.repository.update(runtime.ref.company.slug, runtime.ref.name, {}, ['pairingPhone']);
    });
  }

  /** Asks the owning process (through the database) for a pairing code and waits for its answer. */
  async pairingCodeFromOwner(company: string, name: string, phone: string): Promise<string | null> {
    await this.repository.update(company, name, { pairingPhone: phone }, ['pairingCode']);
    const deadline = Date.now() + this.config.lease.renewMs * 2 + 5_000;
    while (Date.now() < deadline) {
      const record = await this.repository.find(company, name);
      if (!record || !hasLiveOwner(record)) return null;
      if (record.pairingCode) return record.pairingCode;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    return null;
  }
}
