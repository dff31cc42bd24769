import { Logger } from '@nestjs/common';
import type { LoggedEvent } from '../../events/event-types';
import type { CompanyRecord } from '../../tenancy/company';
import type { TenantContext } from '../../tenancy/tenant-context';
import type { SecretBox } from '../secret-box';
import type { StoredEndpoint } from '../webhook-endpoint';
import { activate } from './active-endpoint';
import { EndpointDispatcher, type DispatcherDeps } from './endpoint-dispatcher';

/** A pass runs at least this often while anything is pending, so a missed wake-up costs little. */
const MAX_IDLE_MS = 5_000;

/**
 * Every endpoint of one company, in the one process holding the company's dispatch lease. Passes run one
 * at a time: the database work of all endpoints is serial (webhooks never take more than one of the
 * company's database slots from ingest), while HTTP tries run in parallel. A pass runs when events are
 * appended here, when a try ends, and when a retry, a poll or a save is due.
 */
export class CompanyDispatcher {
  private readonly logger = new Logger(CompanyDispatcher.name);
  private readonly workers = new Map<string, EndpointDispatcher>();
  private readonly unreadable = new Set<string>();
  private running?: Promise<void>;
  private again = false;
  private wakeQueued = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    readonly company: CompanyRecord,
    private readonly tenant: TenantContext,
    private readonly deps: DispatcherDeps,
    private readonly box: SecretBox,
    private readonly removed: (endpoint: string) => void,
  ) {}

  get endpoints(): EndpointDispatcher[] {
    return [...this.workers.values()];
  }

  /** Follows the stored endpoints: new ones start at their cursor, changed ones take their settings, removed ones stop. */
  sync(endpoints: StoredEndpoint[]): void {
    if (this.stopped) return;
    const ids = new Set(endpoints.map((endpoint) => endpoint.id));
    for (const [id, worker] of this.workers) {
      if (ids.has(id)) continue;
      this.workers.delete(id);
      void worker.stop(0).finally(() => this.removed(id));
    }
    for (const stored of endpoints) {
      let active;
      try {
        active = activate(stored, this.box);
        this.unreadable.delete(stored.id);
      } catch (error) {
        if (!this.unreadable.has(stored.id))
          this.logger.error(
            { company: this.company.slug, endpoint: stored.id, err: (error as Error).message },
            'webhook endpoint skipped: its secret cannot be opened',
          );
        this.unreadable.add(stored.id);
        continue;
      }
      const worker = this.workers.get(stored.id);
      if (worker) worker.update(active);
      else this.workers.set(stored.id, new EndpointDispatcher(this.company, this.tenant, active, stored.cursor, this.deps, () => this.schedule()));
    }
    this.schedule();
  }

  /**
   * A page was appended to the company's log by this process: each endpoint takes it or flags a read, and a
   * pass follows on the next turn. No database work and no HTTP on the appender's stack.
   */
  wake(page: readonly LoggedEvent[]): void {
    const now = Date.now();
    for (const worker of this.workers.values()) worker.offer(page, now);
    if (this.wakeQueued) return;
    this.wakeQueued = true;
    setImmediate(() => {
      this.wakeQueued = false;
      // Tries start now, not after the pass in progress, which may be waiting on the database.
      for (const worker of this.workers.values()) worker.launchDue();
      this.schedule();
    });
  }

  /** Runs a pass now, or right after the one in progress. */
  schedule(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.schedule();
      } else {
        this.arm();
      }
    });
  }

  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await Promise.all([...this.workers.values()].map((worker) => worker.stop(graceMs)));
  }

  private async pass(): Promise<void> {
    for (const worker of this.workers.values()) {
      try {
        await worker.tick(Date.now());
      } catch (error) {
        this.logger.warn({ company: this.company.slug, endpoint: worker.id, err: (error as Error).message }, 'webhook dispatch pass failed');
      }
    }
  }

  private arm(): void {
    if (this.stopped) return;
    const now = Date.now();
    const wakes = this.endpoints.map((worker) => worker.nextWakeAt).filter((at): at is number => at !== undefined);
    const at = Math.min(now + MAX_IDLE_MS, ...wakes);
    this.timer = setTimeout(() => this.schedule(), Math.max(0, at - now));
    this.timer.unref();
  }
}
