import { appendFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import type { CommandMonitor } from '../../../src/core/database/command-monitor';
import { describeShape, queriesOf, type CommandQuery } from '../../../src/core/database/index-coverage';

/** One distinct query shape seen in one test file; `db` is 'control', 'tenant' or the raw database name. */
export interface AuditRecord extends CommandQuery {
  file: string;
  db: string;
  /** Test code's own assertions through the app's connection are recorded but not audited. */
  origin: 'app' | 'test';
  /** The innermost repository frame of the async stack that sent it, e.g. `src/messaging/outbox.repository.ts:62`. */
  at?: string;
}

/** Frames that only relay a query (the monitoring, the tenant pool and its gate), never its sender. */
const RELAYS = [
  'src/core/database/command-monitor.ts',
  'src/tenancy/tenant-connection-pool.service.ts',
  'src/tenancy/tenant-operation-gate.ts',
  'src/tenancy/dedicated-connection.ts',
  'test/support/query-audit/',
];

/** Shapes already written by this test file (Jest gives each test file its own module registry). */
const written = new Set<string>();

/**
 * Appends every distinct query shape the app sends to `<QUERY_AUDIT_DIR>/<test file>.jsonl`, where the
 * global teardown checks it against the migrations' indexes. Does nothing outside the e2e run.
 */
export function recordQueries(monitor: CommandMonitor, databases: { control: string; tenantPrefix: string }): void {
  const dir = process.env.QUERY_AUDIT_DIR;
  if (!dir) return;
  const file = basename(expect.getState().testPath ?? 'unknown');
  const kind = (name: string) => (name === databases.control ? 'control' : name.startsWith(databases.tenantPrefix) ? 'tenant' : name);
  monitor.subscribe((event) => {
    const queries = queriesOf(event.commandName, event.command as Record<string, unknown>);
    if (queries.length === 0) return;
    const sender = sentFrom();
    for (const query of queries) {
      const record: AuditRecord = { file, db: kind(event.databaseName), ...query, ...sender };
      const key = `${record.db} ${record.collection} ${record.command} ${describeShape(record)} ${record.at}`;
      if (written.has(key)) continue;
      written.add(key);
      appendFileSync(join(dir, `${file}.jsonl`), `${JSON.stringify(record)}\n`);
    }
  });
}

/**
 * The driver emits `commandStarted` inside the awaited call chain, so V8's async stack trace reaches
 * the code that issued the query; its innermost frame in this repository says whose query it is.
 */
function sentFrom(): Pick<AuditRecord, 'origin' | 'at'> {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 80;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  for (const [, path, line] of stack.matchAll(/(?:file:\/\/)?(\/[^\s()]+?\.[cm]?[jt]s):(\d+):\d+\)?$/gm)) {
    const file = relative(process.cwd(), path).split(sep).join('/');
    if (file.startsWith('..') || file.includes('node_modules/') || RELAYS.some((own) => file.startsWith(own))) continue;
    return { origin: file.startsWith('test/') ? 'test' : 'app', at: `${file}:${line}` };
  }
  return { origin: 'app' };
}
