#!/usr/bin/env node
// Builds the operator dashboard (dashboard/) into dist/dashboard: one script and one stylesheet bundled by
// esbuild (socket.io-client and uPlot included; nothing is fetched from a CDN), and index.html.
// `--if-stale` skips the build when the output is newer than every source (the tests call it that way).
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'dashboard');
const out = join(root, 'dist', 'dashboard');
const stamp = join(out, '.built');

function newestSource(dir = source) {
  let newest = statSync(fileURLToPath(import.meta.url)).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export async function buildDashboard({ ifStale = false } = {}) {
  if (ifStale && existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource()) return false;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await build({
    absWorkingDir: root,
    entryPoints: [
      { in: 'dashboard/src/main.ts', out: 'app' },
      { in: 'dashboard/styles.css', out: 'app' },
    ],
    outdir: out,
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'iife',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    legalComments: 'linked',
    logLevel: 'warning',
  });
  copyFileSync(join(source, 'index.html'), join(out, 'index.html'));
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = await buildDashboard({ ifStale: process.argv.includes('--if-stale') });
  if (built) process.stdout.write(`dashboard built into ${out}\n`);
}
