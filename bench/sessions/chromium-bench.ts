import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { startServer } from '../server';
import { writeSection } from '../section';
import type { ChromiumChurnResult } from './chromium-churn';

const ROOT = resolve(__dirname, '../../..');
const SESSIONS = 30;
const CAP = 3;
const HOLD_MS = 2_500;

/**
 * Part 2 of `npm run bench:sessions`: 30 whatsapp-web sessions churn through the real session manager
 * under a cap of 3, each client a real Debian Chromium. Merges its figures into bench/results/sessions.json
 * and writes its own section of BENCHMARKS.md.
 */
async function main(): Promise<void> {
  const server = await startServer(process.env.FERRETDB_BIN ?? resolve(ROOT, '.tools/bin/ferretdb'));
  try {
    const options = { uri: server.uri, runId: `chr${Date.now().toString(36)}`, sessions: SESSIONS, cap: CAP, holdMs: HOLD_MS };
    const result = await runChild(options);
    console.log(
      `chromium churn: peak ${result.chromiumPeak} trees (cap ${CAP}), ${result.chromiumAfter} after, ${result.chromiumMBPerClient} MB PSS per client`,
    );
    const jsonPath = join(ROOT, 'bench/results/sessions.json');
    const existing = existsSync(jsonPath) ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, unknown>) : {};
    delete existing.chromiumNote;
    const merged = {
      ...existing,
      chromiumPeak: result.chromiumPeak,
      chromiumAfter: result.chromiumAfter,
      chromiumMBPerClient: result.chromiumMBPerClient,
      chromium: result,
    };
    writeFileSync(jsonPath, `${JSON.stringify(merged, null, 2)}\n`);
    writeSection(join(ROOT, 'BENCHMARKS.md'), 'chromium', render(result));
    if (result.chromiumPeak > CAP || result.chromiumAfter !== 0) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

function runChild(options: object): Promise<ChromiumChurnResult> {
  return new Promise((resolveResult, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'chromium-run.js')], {
      env: { ...process.env, BENCH_CHROMIUM_RUN: JSON.stringify(options) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      const line = output.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`chromium churn failed (exit ${code})`));
      else resolveResult(JSON.parse(line) as ChromiumChurnResult);
    });
  });
}

function render(r: ChromiumChurnResult): string {
  return [
    '## whatsapp-web clients under the cap (`npm run bench:sessions`, part 2)',
    '',
    `${new Date().toISOString()}: ${r.sessions} whatsapp-web sessions (real Debian Chromium through the real session manager and adapter) churn under`,
    `\`SESSIONS_MAX_WHATSAPP_WEB=${r.cap}\`: every round, all sessions not yet run ask to start at once; the manager admits what the cap allows and`,
    `refuses the rest with 503 \`SESSION_CAPACITY\`; admitted ones are held ${HOLD_MS / 1000} s and stopped. \`web.whatsapp.com\` is mapped to a local server that never`,
    'answers, so each client keeps a live Chromium tree (still STARTING, counted against the cap) and no request leaves the machine.',
    `Chromium trees are counted every 50 ms by distinct \`--user-data-dir\` among live processes. Node ${process.version}, ${cpus()[0]?.model ?? 'unknown'} (${cpus().length} cores).`,
    'Command: `npm run bench:sessions`.',
    '',
    '| Figure | Value |',
    '|---|---:|',
    `| Peak Chromium trees (\`chromiumPeak\`, cap ${r.cap}) | ${r.chromiumPeak} |`,
    `| Trees left after the churn (\`chromiumAfter\`) | ${r.chromiumAfter} |`,
    `| Trees still alive right after every stop() returned | ${r.treesAliveAfterStop} |`,
    `| Memory per client, proportional (PSS, \`chromiumMBPerClient\`) | ${r.chromiumMBPerClient} MB |`,
    `| Memory per client, summed RSS (shared pages counted per process) | ${r.chromiumRssMBPerClient} MB |`,
    `| Starts refused by the cap | ${r.refusedStarts} |`,
    `| Samples, duration | ${r.samples}, ${r.seconds} s |`,
    '',
    'The first run of this benchmark found a real bug: concurrent starts all saw the same free slot, and 29 of 30 simultaneous starts were admitted under a cap of 3.',
    'Capacity decisions are now serialised in the session manager (and covered by a test), and this run is the check.',
    'Memory is of a client whose page never loaded; a linked WhatsApp Web page costs more, so budget the memory guard and cap above this figure.',
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
