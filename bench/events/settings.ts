/**
 * Service settings for the run. Retries are shortened so that the backlog starts draining soon after the
 * receiver recovers (the production defaults back off for up to minutes): the drain then measures delivery,
 * not waiting. Everything else is the default.
 */
export const EVENTS_BENCH_SETTINGS: Record<string, string> = {
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_RETRY_BASE_MS: '100',
  WEBHOOK_RETRY_MAX_MS: '500',
  WEBHOOK_BREAKER_HALF_OPEN_MS: '500',
};
