import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { writeSection } from './section';

const ROOT = resolve(__dirname, '../..');

/** Writes `bench/results/<name>.json` and, given its markdown, the `<name>` section of BENCHMARKS.md; returns the JSON's path. */
export function publishResults(name: string, results: unknown, section?: string): string {
  const jsonPath = resolve(ROOT, `bench/results/${name}.json`);
  mkdirSync(dirname(jsonPath), { recursive: true });
  writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
  if (section !== undefined) writeSection(resolve(ROOT, 'BENCHMARKS.md'), name, section);
  return jsonPath;
}
