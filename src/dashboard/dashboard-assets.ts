import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const DASHBOARD_ROUTE = '/dashboard';

/**
 * Where `npm run build:dashboard` writes the dashboard: dist/dashboard at the repository root, found from this
 * file whether it runs compiled (dist/src/dashboard) or from source (tests).
 */
export function dashboardDirectory(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'dashboard');
    if (dirname(dir) === dir) return join(process.cwd(), 'dist', 'dashboard');
  }
}

/** Everything is bundled and served from here: no inline script or style, no other origin. */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

interface HeaderTarget {
  setHeader?: (name: string, value: string) => unknown;
  header?: (name: string, value: string) => unknown;
}

/** Sets the dashboard's response headers on Express's response or Fastify's (raw or reply), whichever serves it. */
export function setDashboardHeaders(response: HeaderTarget): void {
  const set = (name: string, value: string) => (response.setHeader ? response.setHeader(name, value) : response.header?.(name, value));
  set('Content-Security-Policy', DASHBOARD_CSP);
  set('X-Content-Type-Options', 'nosniff');
  set('Referrer-Policy', 'no-referrer');
  // File names carry no hash: revalidate (ETag) on every load, so a deploy is seen at once.
  set('Cache-Control', 'no-cache');
}
