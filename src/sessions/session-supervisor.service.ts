import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { sessionsConfig, type SessionsConfig } from '../core/config/configuration';
import { CompaniesService } from '../tenancy/companies.service';
import { MemoryGuard } from './memory-guard';
import { SessionManager } from './session-manager.service';
import { SessionsRepository } from './sessions.repository';

const SHUTDOWN_BUDGET_MS = 15_000;

/**
 * The session manager's clock and lifecycle: resumes at boot exactly the sessions whose desired state
 * is running (through the admission queue, so no thundering herd), sweeps idle, over-aged and
 * memory-pressed sessions, and on shutdown suspends every client within a bounded time.
 */
@Injectable()
export class SessionSupervisor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SessionSupervisor.name);
  private resuming: Promise<void> = Promise.resolve();

  constructor(
    private readonly manager: SessionManager,
    private readonly repository: SessionsRepository,
    private readonly companies: CompaniesService,
    private readonly memory: MemoryGuard,
    @Inject(sessionsConfig.KEY) private readonly config: SessionsConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.resuming = this.resumeDesired();
  }

  /** Resolves once every session that should run has been given its start attempt. */
  whenResumed(): Promise<void> {
    return this.resuming;
  }

  async resumeDesired(): Promise<void> {
    const desired = await this.repository.listDesiredRunning();
    await Promise.all(
      desired.map(async (record) => {
        try {
          await this.manager.start(await this.companies.get(record.company), record.name);
        } catch (error) {
          this.logger.warn({ session: `${record.company}:${record.name}`, err: (error as Error).message }, 'could not resume session');
        }
      }),
    );
  }

  @Interval('session-sweep', 60_000)
  async sweep(now = Date.now()): Promise<void> {
    for (const runtime of this.manager.active()) {
      if (runtime.status !== 'WORKING' || runtime.inFlightSends > 0) continue;
      if (now - runtime.lastActivityAt > this.config.idleTimeoutMs) {
        await runtime.exclusive(() => this.manager.suspend(runtime, 'idle timeout'));
      } else if (now - runtime.startedAt > this.config.maxLifetimeMs) {
        await runtime.exclusive(() => this.manager.suspend(runtime, 'maximum lifetime reached; restarting'));
        await this.manager.start(runtime.ref.company, runtime.ref.name).catch(() => undefined);
      }
    }
    if (this.memory.isCritical()) await this.relieveMemory();
    else await this.resumeWhereRoom();
  }

  /** Fair rotation: sessions rotated out for lack of room come back, longest-waiting first, as slots free up. */
  async resumeWhereRoom(): Promise<number> {
    const waiting = this.manager
      .all()
      .filter((runtime) => runtime.status === 'SUSPENDED' && runtime.resumeWhenRoom)
      .sort((a, b) => a.suspendedAt - b.suspendedAt);
    let resumed = 0;
    for (const runtime of waiting) {
      if (!this.manager.hasRoomFor(runtime)) continue;
      await this.manager.start(runtime.ref.company, runtime.ref.name).then(
        () => resumed++,
        (error: Error) => this.logger.warn({ session: runtime.key, err: error.message }, 'could not resume rotated session'),
      );
    }
    return resumed;
  }

  /** Memory is critical: suspend the least recently active quarter of the working sessions. */
  async relieveMemory(): Promise<number> {
    const working = this.manager.active().filter((r) => r.status === 'WORKING' && r.inFlightSends === 0);
    const victims = working.sort((a, b) => a.lastActivityAt - b.lastActivityAt).slice(0, Math.max(1, Math.ceil(working.length / 4)));
    for (const runtime of victims) await runtime.exclusive(() => this.manager.suspend(runtime, 'memory critical', true));
    if (victims.length > 0) this.logger.warn({ suspended: victims.length }, 'memory critical: suspended least active sessions');
    return victims.length;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.manager.refuseNewStarts();
    const active = this.manager.active();
    const suspendAll = Promise.allSettled(active.map((runtime) => runtime.exclusive(() => this.manager.suspend(runtime, 'service shutting down'))));
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<void>((done) => (timer = setTimeout(done, SHUTDOWN_BUDGET_MS)));
    await Promise.race([suspendAll, budget]);
    clearTimeout(timer);
  }
}
