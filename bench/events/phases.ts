import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalHttp } from '../inbound/http';
import { runLoad, type LoadOutcome } from '../inbound/load';
import type { Target } from '../inbound/sessions';
import { Workload } from '../inbound/workload';
import type { WebhookReceiver } from './receiver';

export interface LatencyPhase {
  offered: number;
  persisted: number;
  delivered: number;
  /** Per persisted message: from its scheduled send to the verified webhook's arrival. */
  webhookMs: number[];
  ackMs: number[];
  maxSendLagMs: number;
}

export interface DrainPhase {
  backlog: number;
  delivered: number;
  /** From the receiver's recovery to the last delivery. */
  drainSeconds: number;
  /** Deliveries between the first and the last arrival after recovery, per second. */
  deliveriesPerSec: number;
}

/** Inbound at `rate` for `seconds`, open loop; each message is followed until its webhook arrives. */
export async function measureLatency(http: LocalHttp, targets: Target[], receiver: WebhookReceiver, rate: number, seconds: number): Promise<LatencyPhase> {
  const sentAt = new Map<string, number>();
  const workload = new Workload(1, targets, rate * seconds, 20);
  const outcome = await runLoad(http, targets, workload, {
    rate,
    seconds,
    messagesPerRequest: 1,
    drainSeconds: 30,
    onScheduled: (messages, due) => messages.forEach((m) => sentAt.set(m.providerMessageId, due)),
  });
  await waitForArrivals(receiver, sentAt, outcome.persisted, 60_000);
  const webhookMs = receiver.arrivals
    .filter((a) => a.providerMessageId && sentAt.has(a.providerMessageId))
    .map((a) => a.atMs - sentAt.get(a.providerMessageId!)!);
  return {
    offered: outcome.offered,
    persisted: outcome.persisted,
    delivered: webhookMs.length,
    webhookMs,
    ackMs: finite(outcome),
    maxSendLagMs: outcome.maxSendLagMs,
  };
}

/**
 * Stores a backlog while the receiver answers 503, then lets it recover and times the delivery of the backlog
 * (the dispatcher's own pace: lanes per session, signatures, HTTP to a local receiver).
 */
export async function measureDrain(http: LocalHttp, targets: Target[], receiver: WebhookReceiver, backlog: number): Promise<DrainPhase> {
  const ids = new Map<string, number>();
  receiver.down = true;
  const workload = new Workload(2, targets, backlog, 50);
  const outcome = await runLoad(http, targets, workload, {
    rate: 1_000,
    seconds: backlog / 1_000,
    messagesPerRequest: 50,
    drainSeconds: 120,
    onScheduled: (messages) => messages.forEach((m) => ids.set(m.providerMessageId, 0)),
  });
  if (outcome.persisted < backlog) throw new Error(`backlog: only ${outcome.persisted} of ${backlog} messages stored`);
  const before = receiver.arrivals.length;
  const up = performance.now();
  receiver.down = false;
  await waitForArrivals(receiver, ids, outcome.persisted, 600_000);
  const arrivals = receiver.arrivals.slice(before).filter((a) => a.providerMessageId && ids.has(a.providerMessageId));
  const first = arrivals[0]?.atMs ?? up;
  const last = arrivals.at(-1)?.atMs ?? up;
  return {
    backlog,
    delivered: arrivals.length,
    drainSeconds: (last - up) / 1000,
    deliveriesPerSec: arrivals.length > 1 ? (arrivals.length - 1) / ((last - first) / 1000) : 0,
  };
}

async function waitForArrivals(receiver: WebhookReceiver, ids: Map<string, number>, expected: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const arrived = receiver.arrivals.reduce((n, a) => n + (a.providerMessageId && ids.has(a.providerMessageId) ? 1 : 0), 0);
    if (arrived >= expected) return;
    await sleep(200);
  }
}

function finite(outcome: LoadOutcome): number[] {
  return Array.from(outcome.latencyMs).filter(Number.isFinite);
}
