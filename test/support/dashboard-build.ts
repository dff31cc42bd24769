import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Builds dist/dashboard when any source is newer than the last build (esbuild: a fraction of a second). */
export function ensureDashboardBuilt(): void {
  const root = join(__dirname, '..', '..');
  execFileSync(process.execPath, [join(root, 'scripts', 'build-dashboard.mjs'), '--if-stale'], {
    cwd: root,
    stdio: 'pipe',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
}
