import { mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEventsOptions } from './events/options';
import { measureDrain, measureLatency } from './events/phases';
import { WebhookReceiver } from './events/receiver';
import { buildEventsResults, eventsMarkdown } from './events/report';
import { EVENTS_BENCH_SETTINGS } from './events/settings';
import { BenchService, stopAll } from './inbound/service';
import { benchTargets, COMPANIES, createSessions } from './inbound/sessions';
import { machineFacts } from './machine';
import { publishResults } from './publish';

const ROOT = resolve(__dirname, '../..');

/** Issue 8: inbound messages to signed webhook deliveries, on the built service and its embedded database. */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseEventsOptions(argv);
  Object.assign(process.env, EVENTS_BENCH_SETTINGS);
  const work = mkdtempSync(join(options.tmpRoot, 'vv-events-bench-'));
  const receiver = new WebhookReceiver();
  const targets = benchTargets(options.sessionsPerCompany);
  const started = Date.now();
  const log = (text: string) => console.log(`  [${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${text}`);
  try {
    const service = await BenchService.start(ROOT, join(work, 'db'), targets.length);
    await createSessions(service.http, targets);
    const base = await receiver.listen();
    for (const company of COMPANIES) {
      const created = await service.http.send('POST', `/api/v1/companies/${company}/webhooks`, { url: `${base}/${company}`, types: ['message.received'] });
      if (created.status !== 201) throw new Error(`registering the ${company} webhook answered ${created.status}: ${JSON.stringify(created.body)}`);
      receiver.trust(company, (created.body as { secret: string }).secret);
    }
    log(`${targets.length} sessions working, ${COMPANIES.length} webhooks registered`);
    const latency = await measureLatency(service.http, targets, receiver, options.rate, options.seconds);
    log(`latency phase: ${latency.delivered} of ${latency.persisted} stored messages delivered`);
    const drain = await measureDrain(service.http, targets, receiver, options.backlogPerCompany * COMPANIES.length);
    log(`drain phase: ${drain.delivered} of ${drain.backlog} delivered, ${drain.deliveriesPerSec.toFixed(0)}/s`);
    const version = await service.http.send('GET', '/health/ready');
    await service.stop();
    const results = buildEventsResults(
      {
        command: `npm run bench:events${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
        date: new Date().toISOString(),
        ...machineFacts(),
        server: (version.body as { info?: { database?: { server?: string } } })?.info?.database?.server ?? 'FerretDB v1.24.2',
        sessions: targets.length,
        dataDirRoot: options.tmpRoot,
        serviceSettings: EVENTS_BENCH_SETTINGS,
      },
      options.rate,
      options.seconds,
      latency,
      drain,
      { invalidSignatures: receiver.invalidSignatures, duplicateDeliveries: receiver.duplicates },
    );
    publishResults('events', results, eventsMarkdown(results));
    console.log(`webhookP50Ms ${results.webhookP50Ms}, webhookP99Ms ${results.webhookP99Ms} (target <= 1000), deliveriesPerSec ${results.deliveriesPerSec}`);
  } finally {
    await stopAll();
    await receiver.close();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
