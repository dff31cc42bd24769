import { ConfigType, registerAs } from '@nestjs/config';
import { validateEnvironment } from '../core/config/environment.schema';

export const webhooksConfig = registerAs('webhooks', () => {
  const e = validateEnvironment(process.env);
  return {
    production: e.NODE_ENV === 'production',
    allowPrivateTargets: e.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    secretKey: e.WEBHOOK_SECRET_KEY,
    secretGraceMs: e.WEBHOOK_SECRET_GRACE_MS,
    timeoutMs: e.WEBHOOK_TIMEOUT_MS,
    maxResponseBytes: e.WEBHOOK_MAX_RESPONSE_BYTES,
    retry: { baseMs: e.WEBHOOK_RETRY_BASE_MS, maxMs: e.WEBHOOK_RETRY_MAX_MS, horizonMs: e.WEBHOOK_RETRY_HORIZON_MS },
    breaker: { failures: e.WEBHOOK_BREAKER_FAILURES, halfOpenMs: e.WEBHOOK_BREAKER_HALF_OPEN_MS },
    windowEvents: e.WEBHOOK_WINDOW_EVENTS,
    concurrency: e.WEBHOOK_CONCURRENCY,
    pollIntervalMs: e.WEBHOOK_POLL_INTERVAL_MS,
    leaseTtlMs: e.WEBHOOK_LEASE_TTL_MS,
    shutdownGraceMs: e.WEBHOOK_SHUTDOWN_GRACE_MS,
  };
});

export type WebhooksConfig = ConfigType<typeof webhooksConfig>;
