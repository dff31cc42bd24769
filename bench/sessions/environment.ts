import type { RunOptions } from './protocol';

/**
 * The run's options and the environment the application is configured from. Imported by `run.ts`
 * before anything under `src/`: AppModule's ConfigModule.forRoot reads process.env when it loads.
 */
export const options = JSON.parse(process.env.BENCH_SESSIONS_RUN ?? 'null') as RunOptions;
if (!options) throw new Error('BENCH_SESSIONS_RUN is not set: this file runs under bench/sessions.bench.ts');

/** The SESSIONS_MAX_* value of the brief; SESSIONS_MAX_WHATSAPP_WEB is capped lower by the environment schema. */
export const CAP = 20_000;
export const MAX_WHATSAPP_WEB_ALLOWED = 1_000;

Object.assign(process.env, {
  NODE_ENV: 'production',
  LOG_LEVEL: 'silent',
  MONGODB_URI: options.uri,
  CONTROL_DB_NAME: `${options.runId}_control`,
  TENANT_DB_PREFIX: `${options.runId}_`,
  ADMIN_API_KEY: 'bench-sessions-admin-key-0123456789',
  MIGRATE_ON_BOOT: 'true',
  SESSIONS_PROVIDER_OVERRIDE: 'simulator',
  SESSIONS_MAX_ACTIVE: String(CAP),
  SESSIONS_MAX_WHATSAPP_WEB: String(MAX_WHATSAPP_WEB_ALLOWED),
  SESSIONS_MAX_PER_COMPANY: String(CAP),
  MEMORY_LIMIT_MB: '100000',
});
