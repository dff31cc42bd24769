/**
 * Child-process entry for the Chromium churn: configures the app's environment before anything
 * under src/ loads, runs the churn, prints one JSON line. Spawned by sessions.bench.ts.
 */
import { measureChurn, stallServer } from './chromium-churn';

interface ChromiumRunOptions {
  uri: string;
  runId: string;
  sessions: number;
  cap: number;
  holdMs: number;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.env.BENCH_CHROMIUM_RUN ?? 'null') as ChromiumRunOptions | null;
  if (!options) throw new Error('BENCH_CHROMIUM_RUN is not set');
  const { server, port } = await stallServer();
  Object.assign(process.env, {
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    MONGODB_URI: options.uri,
    CONTROL_DB_NAME: `${options.runId}_control`,
    TENANT_DB_PREFIX: `${options.runId}_`,
    ADMIN_API_KEY: 'bench-chromium-admin-key-0123456789',
    SESSIONS_MAX_WHATSAPP_WEB: String(options.cap),
    MEMORY_LIMIT_MB: '100000',
    CHROMIUM_HOST_RESOLVER_RULES: `MAP web.whatsapp.com 127.0.0.1:${port}, MAP * ~NOTFOUND`,
  });
  try {
    const result = await measureChurn(options.sessions, options.cap, options.holdMs);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
