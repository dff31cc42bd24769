import type { PerSession, RunResult } from './protocol';
import type { SessionsResults } from './report';
import { writeSection } from '../section';

/** What the heap-snapshot groups that sessions add are, in this code base (only the groups present are listed). */
const GROUPS: Record<string, string> = {
  '(code)': 'compiled code (bytecode, baseline and optimised code) for paths first run or first optimised during the starts: one-off, not per session',
  SessionRuntime: '`SessionRuntime` (src/sessions/session-runtime.ts): status, timestamps, counters, client, lock chain',
  '(concatenated string)':
    "keys built with template literals and kept unflattened: `SessionRuntime.key` (`company:name`) and the simulator's `company/name` keys, built twice (its `live` map and its `linked` set)",
  '(hidden) system / WeakArrayList': "V8's own weak lists; not traced further",
  '(string)': 'session names, and the left part (`company:`, `company/`) of each concatenated key, a fresh copy per key',
  '(array) ': 'backing stores of the maps keyed per session: `SessionManager.runtimes`, `SimulatorAdapter.live` and `linked`',
  'closure (anonymous)': 'the `emit` callback `SessionManager.launch` hands each client (checks the generation, then `onEvent`)',
  'system / Context': 'the scope the `emit` callback of `SessionManager.launch` closes over (`runtime`, `generation`, `this`)',
  SimulatorClient: "the simulator's client object (a real provider's client replaces it)",
  Promise: '`SessionRuntime.chain`, the settled tail of its one-at-a-time lock',
  Object: 'the `SessionRef` `{ company, name }` each runtime and client holds',
  '(number)': 'heap numbers: millisecond timestamps (`lastActivityAt`, `startedAt`) do not fit a small integer',
};

/** Replaces the sessions section of BENCHMARKS.md (or appends it), leaving everything else as it was. */
export function writeSessionsSection(path: string, results: SessionsResults): void {
  writeSection(path, 'sessions', render(results));
}

function render(r: SessionsResults): string {
  const { real1k, run10k } = r.runs;
  const marginal = run10k.marginal;
  const lines = [
    '## Idle sessions, simulated provider (`npm run bench:sessions`, part 1)',
    '',
    `${r.date}: our own in-process memory per idle WORKING session, the simulator standing in for the provider.`,
    `Server: ${r.server}, ${r.serverOrigin}. Node ${r.node}, ${r.cpu} (${r.cores} cores). Command: \`${r.command}\`.`,
    '',
    '| Reading | Status writes, session reads | Heap / session | V8 heap reserved / session | RSS / session | Heap growth |',
    '|---|---|---:|---:|---:|---:|',
    row(`1,000 sessions (\`bytesPerSession1k\`)`, io(real1k), real1k.perSession, real1k.sessions),
    ...(r.run10kAt1k ? [row('10k run, at 1,000 sessions', io(run10k), r.run10kAt1k, r.run10kAt1k.sessions)] : []),
    row(`10,000 sessions (\`bytesPerSession10k\`)`, io(run10k), run10k.perSession, run10k.sessions),
    ...(marginal
      ? [
          row(
            `10k run, sessions ${(marginal.fromSessions + 1).toLocaleString('en-US')} to ${marginal.toSessions.toLocaleString('en-US')} only (marginal)`,
            io(run10k),
            marginal,
            marginal.toSessions - marginal.fromSessions,
          ),
        ]
      : []),
    '',
    `Target: ≤ ${kb(r.target.heapBytesPerSession)} of heap per session; worst measured ${kb(r.target.measured)}: ${r.target.met ? 'met' : '**missed**'}.`,
    '',
    ...(r.persistence10k === 'skipped'
      ? [
          `**The 10k run: ${r.persistence10kNote}.** ${r.persistence10kDetail ?? ''}`,
          run10k.sessionReads === 'memory'
            ? "The simulator's auth lookup still goes to the database. A record built per call and dropped changes nothing retained; compare the two 1,000-session rows."
            : "The reads of each start (the session document, the simulator's auth entry) still go to the database.",
          '',
        ]
      : []),
    '| Run | Status writes, session reads | Starts | Start phase (s) | Starts/s | Process CPU µs/start |',
    '|---|---|---:|---:|---:|---:|',
    timing('1k', real1k),
    timing('10k', run10k),
    '',
    ...attribution(r),
    '### How it was measured',
    '',
    ...r.method.map((line) => `- ${line}`),
    '',
    '### Limits',
    '',
    '- One run per row, and a few MB of heap growth in all: GC and allocator noise of a few hundred KB moves the 1k figures by a few hundred',
    '  bytes per session; the 10k and marginal figures are steadier.',
    '- The 1k figures include one-off growth: code compiled or optimised during the starts, caches filled on first use. The marginal row',
    '  (the same process from 1,000 to 10,000 sessions) leaves it out and is the better estimate of the steady cost of one more session.',
    '- RSS and V8 heap reserved per session are not counts of live bytes: they move with memory that V8 and the allocator keep or give',
    '  back after the garbage the starts produce (heap pages, compiler zones, allocator arenas, driver buffers). In the 1,000 run with every',
    `  write (${real1k.startSeconds} s of database traffic) RSS changed by ${mbDelta(real1k, 'rss')} and the reserved heap by ${mbDelta(real1k, 'heapTotal')}, while the heap in use grew by ${mbDelta(real1k, 'heapUsed')}.`,
    '  Across identical runs while writing this bench, RSS per session ranged from -21 to 90 KB at 1,000 and from 8 to 31 KB at 10,000,',
    '  while heap in use per session stayed within 0.87-0.89 KB at 10,000 (1.53-1.74 KB at 1,000). Read the heap-in-use column.',
    "- Start throughput is FerretDB's more than ours, and the runs share the machine: on its SQLite backend a lookup by `_id` scans the",
    "  collection up to the document (its cost grows with the document's position), an update even more, so both runs slow down as they go.",
    '  Process CPU counts every thread of the measured process over the start phase (GC helpers and background work such as the outbound',
    "  worker's polls, which each WORKING transition kicks, included).",
    '- Real provider clients cost far more than this (Chromium for whatsapp-web, a socket and Signal state for Baileys); that is part 2,',
    '  measured separately (`chromiumPeak`, `chromiumAfter`, `chromiumMBPerClient` in `bench/results/sessions.json`).',
  ];
  return lines.join('\n');
}

function attribution(r: SessionsResults): string[] {
  const a = r.attribution;
  if (!a) return [];
  const known = a.top.filter((group) => GROUPS[group.name]);
  return [
    `### Where the heap goes (heap snapshots around ${a.sessions.toLocaleString('en-US')} starts, run like the 10k run)`,
    '',
    `A separate run (the snapshots perturb its readings): object groups whose shallow size grew, ${kb(a.grownBytesPerSession)} per session in all.`,
    '',
    '| Object (constructor / V8 type) | Added per session | Bytes per session |',
    '|---|---:|---:|',
    ...a.top.map((group) => `| \`${group.name.trim().replace(/\|/g, '\\|')}\` | ${group.perSession} | ${group.bytesPerSession} |`),
    '',
    ...(known.length > 0 ? ['What they are:', '', ...known.map((group) => `- \`${group.name.trim()}\`: ${GROUPS[group.name]}.`), ''] : []),
  ];
}

function row(label: string, io: string, per: PerSession, sessions: number): string {
  const growth = `${((per.heapBytes * sessions) / 1048576).toFixed(2)} MB`;
  return `| ${label} | ${io} | ${kb(per.heapBytes)} | ${kb(per.heapTotalBytes)} | ${kb(per.rssBytes)} | ${growth} |`;
}

function timing(label: string, run: RunResult): string {
  return `| ${label} | ${io(run)} | ${run.sessions.toLocaleString('en-US')} | ${run.startSeconds} | ${run.startsPerSecond} | ${run.cpuMicrosPerStart} |`;
}

function io(run: RunResult): string {
  return `${run.persistence === 'real' ? 'written' : '**skipped**'}, ${run.sessionReads === 'database' ? 'database' : '**memory**'}`;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(2)} KB`;
}

function mbDelta(run: RunResult, field: 'rss' | 'heapTotal' | 'heapUsed'): string {
  return `${((run.after[field] - run.baseline[field]) / 1048576).toFixed(1)} MB`;
}
