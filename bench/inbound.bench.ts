import { mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeInboundSection } from './inbound/markdown';
import { commandLine, parseOptions } from './inbound/options';
import { buildResults } from './inbound/report';
import type { RunFigures } from './inbound/figures';
import { measureRun, type RunContext, type Template } from './inbound/run';
import { inheritedSettings, productionNodeFlags, stopAll } from './inbound/service';
import { benchTargets } from './inbound/sessions';
import { prepareFresh, prepareSeeded } from './inbound/template';
import { TEXT_BYTES } from './inbound/workload';
import { machineFacts } from './machine';
import { publishResults } from './publish';

const ROOT = resolve(__dirname, '../..');

/**
 * Issue 6: inbound messages through the simulator endpoint into the built service on its embedded database,
 * open-loop at several offered rates, on a fresh database and after a seed of stored messages.
 */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv, process.env);
  const work = mkdtempSync(join(options.tmpRoot, 'vv-inbound-bench-'));
  const cleanUp = () => rmSync(work, { recursive: true, force: true });
  const interrupted = (signal: NodeJS.Signals) => {
    console.error(`inbound bench: ${signal}, stopping the service`);
    void stopAll().finally(() => {
      cleanUp();
      process.exit(130);
    });
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  const started = Date.now();
  const log = (text: string) => console.log(`  [${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${text}`);
  const context: RunContext = { root: ROOT, targets: benchTargets(options.sessionsPerCompany), options, log };
  try {
    console.log(`inbound bench: rates ${options.rates.join(', ')} msg/s, ${options.seconds} s each, phases ${options.phases.join(', ')}, work dir ${work}`);
    const fresh = await prepareFresh(context, join(work, 'template-fresh'));
    log(`prepared the fresh database (${context.targets.length} sessions linked)`);
    const templates: Template[] = [];
    if (options.phases.includes('fresh')) templates.push(fresh);
    if (options.phases.includes('after50k')) templates.push(await prepareSeeded(context, fresh, join(work, 'template-after50k')));

    const runs: RunFigures[] = [];
    for (const template of templates) {
      for (const [index, rate] of options.rates.entries()) {
        const run = await measureRun(context, template, join(work, `run-${template.phase}-${rate}`), rate, 1 + (index % 8));
        runs.push(run);
        log(summary(run));
      }
    }

    const results = buildResults(runs, {
      server: runs[0]?.server ?? 'unknown',
      serverOrigin: 'SQLite backend, started by the service itself',
      ...machineFacts(),
      date: new Date().toISOString(),
      command: [...Object.entries(inheritedSettings()).map(([key, value]) => `${key}=${value}`), commandLine(argv)].join(' '),
      rates: options.rates,
      seconds: options.seconds,
      seedMessages: options.seedMessages,
      messagesPerRequest: options.messagesPerRequest,
      sessions: context.targets.length,
      messagesPerChat: options.messagesPerChat,
      seedMessagesPerChat: options.seedMessagesPerChat,
      textBytes: TEXT_BYTES,
      drainSeconds: options.drainSeconds,
      warmupMessages: options.warmupMessages,
      dataDirRoot: options.tmpRoot,
      serviceSettings: inheritedSettings(),
      nodeFlags: productionNodeFlags(ROOT),
    });
    publishResults('inbound', results);
    writeInboundSection(resolve(ROOT, 'BENCHMARKS.md'), results);
    for (const [name, target] of Object.entries(results.targets)) {
      console.log(
        `${name}: ${target.measured ?? 'n/a'} (target ${target.target}): ${target.measured === null ? 'not measured' : target.met ? 'met' : 'MISSED'}`,
      );
    }
    console.log('wrote bench/results/inbound.json and the inbound section of BENCHMARKS.md');
  } finally {
    await stopAll();
    cleanUp();
  }
}

function summary(r: RunFigures): string {
  const n = (v: number | null, unit = '') => (v === null ? 'n/a' : `${v}${unit}`);
  return (
    `${r.phase} ${r.offeredMsgPerSec} msg/s: persisted ${r.persistedMsgPerSec}/s (${(r.persistedShare * 100).toFixed(1)}%), p50 ${n(r.p50Ms, ' ms')}, p99 ${n(r.p99Ms, ' ms')},` +
    ` derive lag p99 ${n(r.deriveLagP99Ms, ' ms')}, CPU ${n(r.cpuMicrosPerMessage, ' µs')}/msg (FerretDB ${n(r.ferretCpuMicrosPerMessage, ' µs')}),` +
    ` ${n(r.commandsPerMessage)} commands/msg, RSS peak ${r.peakRssMB} MB (+${r.peakRssGrowthMB}), 503s ${r.refusals}` +
    `${r.unfinished ? `, ${r.unfinished} unanswered` : ''}${Object.keys(r.errors).length ? `, errors ${JSON.stringify(r.errors)}` : ''}${r.dbMatchesAcks ? '' : `, DATABASE HOLDS ${r.dbMessages}`}${r.settledQuietly ? '' : ', NOT IDLE when measured'}`
  );
}

main().catch((error: unknown) => {
  console.error('inbound bench FAILED:', error);
  process.exitCode = 1;
});
