import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { coveringIndex, describeShape, type IndexSpec } from '../../../src/core/database/index-coverage';
import { ALLOWED_QUERIES, type AllowedQuery } from './allow-list';
import { declaredIndexes } from './declared-indexes';
import type { AuditRecord } from './recorder';

const ROOT = join('dist-test', 'query-audit');
const KEEP_RUNS_MS = 24 * 3_600_000;

/** A folder for this Jest run's records: concurrent runs in one checkout never mix their records. */
export function openAuditRun(): string {
  mkdirSync(ROOT, { recursive: true });
  for (const name of readdirSync(ROOT)) {
    const path = join(ROOT, name);
    if (Date.now() - statSync(path).mtimeMs > KEEP_RUNS_MS) rmSync(path, { recursive: true, force: true });
  }
  const dir = resolve(ROOT, `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
  mkdirSync(dir);
  return dir;
}

interface Finding {
  db: string;
  collection: string;
  shape: string;
  commands: Set<string>;
  files: Set<string>;
  sites: Set<string>;
  allowedBy?: AllowedQuery;
}

/**
 * Checks every recorded query shape against the indexes the migrations declare. Writes
 * `report.txt` next to the records and throws, failing the Jest run, on any uncovered shape that
 * the allow-list does not name.
 */
export async function auditQueries(dir: string, uri: string): Promise<void> {
  const recorded = readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line) as AuditRecord);
  if (recorded.length === 0) {
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  const records = recorded.filter((record) => record.origin !== 'test');
  const declared = await declaredIndexes(uri);
  const findings = new Map<string, Finding>();
  for (const record of records) {
    const indexes = declared[record.db]?.[record.collection] ?? [];
    if (coveringIndex(record, indexes)) continue;
    const shape = describeShape(record);
    const key = `${record.db} ${record.collection} ${shape}`;
    const finding = findings.get(key) ?? { db: record.db, collection: record.collection, shape, commands: new Set(), files: new Set(), sites: new Set() };
    finding.commands.add(record.command);
    finding.files.add(record.file);
    if (record.at) finding.sites.add(record.at);
    finding.allowedBy = ALLOWED_QUERIES.find(
      (entry) => entry.collection === record.collection && (entry.db ?? record.db) === record.db && (entry.shape === '*' || entry.shape === shape),
    );
    findings.set(key, finding);
  }
  const uncovered = [...findings.values()].filter((finding) => !finding.allowedBy);
  const allowed = [...findings.values()].filter((finding) => finding.allowedBy);
  const describe = (finding: Finding) =>
    `  ${finding.db}.${finding.collection} ${[...finding.commands].join('/')} ${finding.shape}\n` +
    `      from: ${[...finding.sites].sort().join(', ') || 'unknown'} (in ${[...finding.files].sort().join(', ')})\n` +
    `      indexes: ${formatIndexes(declared[finding.db]?.[finding.collection])}`;
  const report = [
    `Query audit: ${records.length} distinct shapes (per call site and test file) sent by the app in ` +
      `${new Set(records.map((r) => r.file)).size} test files; ${recorded.length - records.length} more sent by test code itself, not audited.`,
    `Uncovered and not allowed (${uncovered.length}):`,
    ...uncovered.map(describe),
    `Allowed without an index (${allowed.length}):`,
    ...allowed.map((finding) => `${describe(finding)}\n      reason: ${finding.allowedBy!.reason}`),
    'Allow-list entries no recorded query needed in this run (stale after a full run?):',
    ...ALLOWED_QUERIES.filter((entry) => !allowed.some((finding) => finding.allowedBy === entry)).map(
      (entry) => `  ${entry.db ?? '*'}.${entry.collection} ${entry.shape}`,
    ),
  ].join('\n');
  writeFileSync(join(dir, 'report.txt'), `${report}\n`);
  if (uncovered.length > 0) {
    throw new Error(
      `Query audit failed: ${uncovered.length} query shape(s) no index from migrations/ serves. Add an index in a migration, ` +
        `or an entry with its reason to test/support/query-audit/allow-list.ts.\n${uncovered.map(describe).join('\n')}\n` +
        `(full report: ${join(dir, 'report.txt')})`,
    );
  }
}

function formatIndexes(indexes: IndexSpec[] | undefined): string {
  if (!indexes || indexes.length === 0) return 'none declared (collection not created by a migration)';
  return indexes.map((index) => `${index.name} { ${index.key.map(([path, direction]) => `${path}: ${String(direction)}`).join(', ')} }`).join('; ');
}
