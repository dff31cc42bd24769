import type { SessionStatus } from './session-status';

export interface CapacityView {
  key: string;
  company: string;
  provider: string;
  status: SessionStatus;
  lastActivityAt: number;
  inFlightSends: number;
}

export interface CapacityLimits {
  maxActive: number;
  maxPerCompany: number;
  maxPerProvider: Partial<Record<string, number>>;
}

export type CapacityDecision = { ok: true; evict: CapacityView[] } | { ok: false; scope: 'global' | 'company' | 'provider' };

/**
 * Whether a session of `company`/`provider` may start given the active ones, and which sessions to
 * rotate out first: per full scope, the least recently active WORKING session with no send in flight
 * (never one that is starting, pairing or reconnecting).
 */
export function planCapacity(active: CapacityView[], company: string, provider: string, limits: CapacityLimits): CapacityDecision {
  const evict: CapacityView[] = [];
  const scopes: Array<{ scope: 'global' | 'company' | 'provider'; limit: number | undefined; member: (v: CapacityView) => boolean }> = [
    { scope: 'provider', limit: limits.maxPerProvider[provider], member: (v) => v.provider === provider },
    { scope: 'company', limit: limits.maxPerCompany, member: (v) => v.company === company },
    { scope: 'global', limit: limits.maxActive, member: () => true },
  ];
  for (const { scope, limit, member } of scopes) {
    if (limit === undefined) continue;
    const remaining = active.filter((v) => member(v) && !evict.includes(v));
    if (remaining.length < limit) continue;
    const victim = remaining.filter((v) => v.status === 'WORKING' && v.inFlightSends === 0).sort((a, b) => a.lastActivityAt - b.lastActivityAt)[0];
    if (!victim) return { ok: false, scope };
    evict.push(victim);
  }
  return { ok: true, evict };
}
