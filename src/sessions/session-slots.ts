import { Inject, Injectable } from '@nestjs/common';
import { sessionsConfig, type SessionsConfig } from '../core/config/configuration';
import { planCapacity, type CapacityDecision, type CapacityView } from './session-capacity';
import type { SessionRuntime } from './session-runtime';
import { ACTIVE_STATUSES } from './session-status';
import { SessionsException } from './sessions.exception';

/**
 * This process's capacity (caps per process: global, per provider, per company). Decisions are serialised,
 * so concurrent starts cannot all see the same free slot; a start counts as taken from its decision on.
 */
@Injectable()
export class SessionSlots {
  private lock: Promise<unknown> = Promise.resolve();

  constructor(@Inject(sessionsConfig.KEY) private readonly config: SessionsConfig) {}

  /** Takes a slot for `runtime`, rotating out (through `evict`) what the plan says; refuses when nothing can go. */
  reserve(runtime: SessionRuntime, all: SessionRuntime[], evict: ((victim: SessionRuntime) => Promise<void>) | null): Promise<void> {
    const decision = this.lock.then(async () => {
      const plan = this.plan(runtime, all);
      if (!plan.ok) throw SessionsException.capacity(plan.scope);
      if (plan.evict.length > 0 && !evict) throw SessionsException.capacity('free');
      for (const victim of plan.evict) {
        const other = all.find((r) => r.key === victim.key);
        if (other) await evict!(other);
      }
      runtime.reserved = true;
    });
    this.lock = decision.catch(() => undefined);
    return decision;
  }

  hasRoomFor(runtime: SessionRuntime, all: SessionRuntime[]): boolean {
    const plan = this.plan(runtime, all);
    return plan.ok && plan.evict.length === 0;
  }

  private plan(runtime: SessionRuntime, all: SessionRuntime[]): CapacityDecision {
    const views: CapacityView[] = all
      .filter((r) => r !== runtime && (r.reserved || ACTIVE_STATUSES.has(r.status)))
      .map((r) => ({
        key: r.key,
        company: r.ref.company.slug,
        provider: r.provider,
        status: r.status,
        lastActivityAt: r.lastActivityAt,
        inFlightSends: r.inFlightSends,
      }));
    return planCapacity(views, runtime.ref.company.slug, runtime.provider, {
      maxActive: this.config.maxActive,
      maxPerCompany: this.config.maxPerCompany,
      maxPerProvider: { 'whatsapp-web': this.config.maxWhatsappWeb },
    });
  }
}
