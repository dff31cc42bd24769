import { writeSection } from '../section';
import { isSustained, TARGETS, type InboundResults, type PhaseSummary } from './report';
import type { Phase } from './options';
import type { RunFigures } from './figures';

/** Replaces the inbound section of BENCHMARKS.md (or appends it), leaving everything else as it was. */
export function writeInboundSection(path: string, results: InboundResults): void {
  writeSection(path, 'inbound', render(results));
}

function render(r: InboundResults): string {
  const e = r.environment;
  const t = r.targets;
  const verdict = ({ met, measured }: { met: boolean; measured: number | null }, absent = 'not measured') =>
    measured === null ? absent : met ? 'met' : '**missed**';
  const value = (v: number | null, unit = '') => (v === null ? 'n/a' : `${v}${unit}`);
  const smoke =
    e.seconds < 30 || e.seedMessages < 50_000
      ? ['', `**Short run (${e.seconds} s per rate, ${e.seedMessages} seeded messages): a smoke test, not the figures of record.**`]
      : [];
  return [
    '## Inbound messages under load (`npm run bench:inbound`)',
    ...smoke,
    '',
    `${e.date}. The built service in its own process on its embedded default database (${e.server}; ${e.serverOrigin}), simulator provider,`,
    `${e.sessions} sessions over the four launch companies. Open-loop load on \`POST /simulator/companies/:company/sessions/:session/inbound\`:`,
    `${e.messagesPerRequest} messages per request, round-robin over the sessions, ${e.textBytes}-byte texts with a sender name, ~${e.messagesPerChat} messages per chat;`,
    `${e.seconds} s per offered rate, each run on a fresh copy of the prepared database and a fresh service process, after a warm-up of ${e.warmupMessages} messages.`,
    `\`after50k\` runs start from ${e.seedMessages.toLocaleString('en-US')} messages stored through the same endpoint, ~${e.seedMessagesPerChat} per chat (chats and prospects derived before the runs: on the embedded server each of their updates scans its collection, so a seed of 20 per chat, 2,500 chats, takes minutes to derive).`,
    `Node ${e.node}, ${e.cpu} (${e.cores} cores, shared by the load generator, the service and FerretDB; the generator used at most ${Math.max(0, ...r.runs.map((run) => run.generatorCores))} of a core). Database files under \`${e.dataDirRoot}\`.`,
    ...(Object.keys(e.serviceSettings).length > 0
      ? [
          `Service settings from the environment: ${Object.entries(e.serviceSettings)
            .map(([k, v]) => `\`${k}=${v}\``)
            .join(', ')}.`,
        ]
      : []),
    `Node flags (render.yaml's start command): ${e.nodeFlags.length > 0 ? e.nodeFlags.map((flag) => `\`${flag}\``).join(' ') : 'none'}.`,
    `Command: \`${e.command}\`.`,
    '',
    '| Phase | Offered msg/s | Persisted msg/s | Persisted | p50 ms | p99 ms | Derive lag p99 ms | Our CPU µs/msg (net of idle) | FerretDB CPU µs/msg | DB commands/msg | Peak RSS MB | RSS growth MB | 503s | Sustained |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...r.runs.map(row),
    '',
    '### Targets',
    '',
    `- Sustained, fresh database: ${value(t.sustainedFreshMsgPerSec.measured, ' msg/s')} (target ≥ ${TARGETS.sustainedFresh} with p99 ≤ ${TARGETS.p99Ms / 1000} s): ${verdict(t.sustainedFreshMsgPerSec, ran(r, 'fresh') ? '**missed** (no rate sustained)' : 'not run')}.`,
    `- Sustained after ${e.seedMessages.toLocaleString('en-US')} stored: ${value(t.sustainedAfter50kMsgPerSec.measured, ' msg/s')} (target ≥ ${TARGETS.sustainedAfter50k} with p99 ≤ ${TARGETS.p99Ms / 1000} s): ${verdict(t.sustainedAfter50kMsgPerSec, ran(r, 'after50k') ? '**missed** (no rate sustained)' : 'not run')}.`,
    `- Our CPU per message (worse phase, at ${rates(r)}): ${value(t.cpuMicrosPerMessage.measured, ' µs')} (target ≤ ${TARGETS.cpuMicrosPerMessage} µs): ${verdict(t.cpuMicrosPerMessage)}; net of idle: ${netOfIdle(r)}.`,
    `- Database commands per message (same runs): ${value(t.commandsPerMessage.measured)} (target ≤ ${TARGETS.commandsPerMessage}): ${verdict(t.commandsPerMessage, 'not measured (no `vv_db_commands_total` in this build)')}.`,
    `- Peak RSS growth at ${TARGETS.rssGrowthAtMsgPerSec.toLocaleString('en-US')} msg/s offered: ${value(t.peakRssGrowthMBAt1000.measured, ' MB')} (target ≤ ${TARGETS.rssGrowthMB} MB): ${verdict(t.peakRssGrowthMBAt1000, `not measured (no run at ${TARGETS.rssGrowthAtMsgPerSec} msg/s)`)}.`,
    '',
    '### How these were measured',
    '',
    '- Persisted msg/s: messages acknowledged `stored` (or `duplicate`, already durable) by a 200 within the offered window, per second of it;',
    '  "Persisted" is the share of offered messages acknowledged by the end of the drain (' +
      `${e.drainSeconds} s` +
      '). Sustained: p99 ≤ 1 s and persisted msg/s ≥ 95% of offered.',
    '- Latency runs from the scheduled first send of a message to the 200 that acknowledged it, redeliveries after a 503 (after its Retry-After) included;',
    '  the schedule does not wait for answers (open loop), so a slow service cannot slow the load down. A message without a 200 by the end of the drain counts as slower than all.',
    "- Derive lag: the service's `vv_ingest_derive_lag_seconds` histogram over the run, p99 interpolated inside its buckets (n/a: the build does not export it).",
    '- CPU: utime + stime from `/proc` of the service process and, separately, of its FerretDB child, from the first send until both were idle again',
    "  (derived updates included), divided by the messages persisted. It includes the service's background work over that window",
    `  (idle: ${idle(r)}); the figure in parentheses subtracts that idle rate over the same window.`,
    '- Database commands: increase of `vv_db_commands_total` (driver command monitoring on, `MONGODB_MONITOR_COMMANDS=true`, which itself costs a little CPU per command)',
    '  over the same window, all commands, divided by the messages persisted.',
    '- RSS: `VmRSS` of the service process every 200 ms; growth is the peak during the run minus the reading when the load started.',
    '- What the simulator path adds: each request crosses HTTP, the admin-key guard and DTO validation before ingest; messages from Baileys or',
    '  whatsapp-web.js arrive as in-process events without that cost, Twilio webhooks pay it once per message. All four companies share one FerretDB here.',
    '- Raw figures for every run, including refusal codes, per-command counts and the database count checked against the acknowledgements: `bench/results/inbound.json`.',
  ].join('\n');
}

function row(run: RunFigures): string {
  const n = (v: number | null, digits = 1) => (v === null ? 'n/a' : v.toFixed(digits));
  const lag = run.deriveLagP99Ms === null ? 'n/a' : `${run.deriveLagAboveLastBucket ? '>' : ''}${run.deriveLagP99Ms.toFixed(0)}`;
  const p99 = run.p99Ms === null ? `> drain (${run.unfinished} unanswered)` : run.p99Ms.toFixed(0);
  return `| ${run.phase} | ${run.offeredMsgPerSec} | ${run.persistedMsgPerSec.toFixed(1)} | ${(run.persistedShare * 100).toFixed(1)}% | ${n(run.p50Ms, 0)} | ${p99} | ${lag} | ${n(run.cpuMicrosPerMessage, 0)} (${n(run.cpuMicrosPerMessageNetOfIdle, 0)}) | ${n(run.ferretCpuMicrosPerMessage, 0)} | ${n(run.commandsPerMessage, 2)} | ${run.peakRssMB.toFixed(0)} | ${run.peakRssGrowthMB.toFixed(1)} | ${run.refusals} | ${isSustained(run) ? 'yes' : 'no'}${run.settledQuietly ? '' : ' (CPU and commands cut short: still busy at the settle bound)'}${run.dbMatchesAcks ? '' : ' (**database count differs from acknowledgements**)'} |`;
}

function summaries(r: InboundResults): Array<[Phase, PhaseSummary]> {
  const phases: Array<[Phase, PhaseSummary | null]> = [
    ['fresh', r.figuresAtMsgPerSec === undefined ? null : (r as PhaseSummary)],
    ['after50k', r.after50k],
  ];
  return phases.filter((entry): entry is [Phase, PhaseSummary] => entry[1] !== null);
}

function rates(r: InboundResults): string {
  return summaries(r)
    .map(([name, s]) => `${s.figuresAtMsgPerSec} msg/s ${name}`)
    .join(', ');
}

function netOfIdle(r: InboundResults): string {
  return summaries(r)
    .map(([name, s]) => `${s.cpuMicrosPerMessageNetOfIdle ?? 'n/a'} µs ${name}`)
    .join(', ');
}

function ran(r: InboundResults, phase: Phase): boolean {
  return r.runs.some((run) => run.phase === phase);
}

function idle(r: InboundResults): string {
  const first = r.runs[0];
  if (!first) return 'n/a';
  const commands = first.idle.commandsPerSecond === null ? '' : `, ${first.idle.commandsPerSecond} commands/s`;
  return `the service used ${first.idle.cpuMicrosPerSecond} µs of CPU per second${commands} with ${first.sessions} sessions and no traffic, first run`;
}
