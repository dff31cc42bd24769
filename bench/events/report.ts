import { round } from '../inbound/figures';
import type { DrainPhase, LatencyPhase } from './phases';

export interface EventsResults {
  environment: Record<string, unknown>;
  targets: Record<string, { target: string; measured: number | null; met: boolean | null }>;
  latency: {
    rate: number;
    seconds: number;
    offered: number;
    persisted: number;
    delivered: number;
    webhookP50Ms: number | null;
    webhookP99Ms: number | null;
    webhookMaxMs: number | null;
    ackP99Ms: number | null;
    maxSendLagMs: number;
  };
  drain: DrainPhase;
  receiver: { invalidSignatures: number; duplicateDeliveries: number };
  webhookP50Ms: number | null;
  webhookP99Ms: number | null;
  deliveriesPerSec: number;
}

/** A message never delivered counts as slower than all: p99 is null once more than 1 % are missing. */
function quantile(values: number[], total: number, q: number): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.ceil(q * total) - 1;
  return index < sorted.length ? round(sorted[index], 1) : null;
}

export function buildEventsResults(
  environment: Record<string, unknown>,
  rate: number,
  seconds: number,
  latency: LatencyPhase,
  drain: DrainPhase,
  receiver: EventsResults['receiver'],
): EventsResults {
  const webhookP50Ms = quantile(latency.webhookMs, latency.persisted, 0.5);
  const webhookP99Ms = quantile(latency.webhookMs, latency.persisted, 0.99);
  const deliveriesPerSec = round(drain.deliveriesPerSec, 0);
  return {
    environment,
    targets: { [`webhookP99Ms at ${rate} msg/s`]: { target: '<= 1000', measured: webhookP99Ms, met: webhookP99Ms === null ? false : webhookP99Ms <= 1000 } },
    latency: {
      rate,
      seconds,
      offered: latency.offered,
      persisted: latency.persisted,
      delivered: latency.delivered,
      webhookP50Ms,
      webhookP99Ms,
      webhookMaxMs: quantile(latency.webhookMs, latency.persisted, 1),
      ackP99Ms: quantile(latency.ackMs, latency.offered, 0.99),
      maxSendLagMs: round(latency.maxSendLagMs, 1),
    },
    drain: { ...drain, drainSeconds: round(drain.drainSeconds, 1), deliveriesPerSec },
    receiver,
    webhookP50Ms,
    webhookP99Ms,
    deliveriesPerSec,
  };
}

export function eventsMarkdown(r: EventsResults): string {
  const env = r.environment;
  return [
    '## Events out: inbound → signed webhook (`npm run bench:events`)',
    '',
    `Command: \`${String(env.command)}\` · ${String(env.date)} · Node ${String(env.node)} · ${String(env.cores)} × ${String(env.cpu)} · embedded FerretDB (${String(env.server)}) in \`${String(env.dataDirRoot)}\``,
    '',
    `The built service on its embedded default database, ${String(env.sessions)} simulator sessions over the 4 launch companies, one webhook per company (type \`message.received\`) to a receiver on 127.0.0.1 in the bench process that verifies every signature with the \`standardwebhooks\` library. Latency runs from the moment a message is due to be sent to the simulator's inbound endpoint to the verified arrival of its webhook; a message never delivered counts as slower than all.`,
    '',
    '| measure | value |',
    '|---|---|',
    `| offered / stored / delivered at ${r.latency.rate} msg/s for ${r.latency.seconds} s | ${r.latency.offered} / ${r.latency.persisted} / ${r.latency.delivered} |`,
    `| **webhookP50Ms** / **webhookP99Ms** / max | **${r.webhookP50Ms ?? 'n/a'}** / **${r.webhookP99Ms ?? 'n/a'}** / ${r.latency.webhookMaxMs ?? 'n/a'} ms |`,
    `| inbound acknowledgement p99 with webhooks on | ${r.latency.ackP99Ms ?? 'n/a'} ms |`,
    `| backlog stored while the receiver answered 503 | ${r.drain.backlog} messages |`,
    `| backlog delivered after recovery | ${r.drain.delivered} in ${r.drain.drainSeconds} s |`,
    `| **deliveriesPerSec** (first to last arrival of the backlog) | **${r.deliveriesPerSec}** |`,
    `| invalid signatures / deliveries of one event under a second id or twice | ${r.receiver.invalidSignatures} / ${r.receiver.duplicateDeliveries} |`,
    '',
    `Target: webhookP99Ms ≤ 1000 at ${r.latency.rate} msg/s: **${Object.values(r.targets)[0].met ? 'met' : 'missed'}**.`,
    `Service settings for the run: ${Object.entries(env.serviceSettings as Record<string, string>)
      .map(([k, v]) => `\`${k}=${v}\``)
      .join(', ')} (shorter retry delays, so the drain measures delivery rather than back-off).`,
  ].join('\n');
}
