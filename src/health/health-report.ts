import type { HealthIndicatorResult } from '@nestjs/terminus';

export interface HealthReport {
  status: 'ok' | 'degraded' | 'error';
  info: HealthIndicatorResult;
  error: HealthIndicatorResult;
  details: HealthIndicatorResult;
}

/**
 * Folds indicator results into Terminus' response shape. Only `critical` indicators decide
 * whether the instance is unhealthy; the others (companies) can be down by name while it serves.
 */
export function foldHealth(critical: HealthIndicatorResult[], others: HealthIndicatorResult[]): HealthReport {
  const details: HealthIndicatorResult = Object.assign({}, ...critical, ...others);
  const info: HealthIndicatorResult = {};
  const error: HealthIndicatorResult = {};
  for (const [key, value] of Object.entries(details)) (value.status === 'down' ? error : info)[key] = value;
  const criticalDown = critical.some((result) => Object.values(result).some((value) => value.status === 'down'));
  const allUp = Object.values(details).every((value) => value.status === 'up');
  return { status: criticalDown ? 'error' : allUp ? 'ok' : 'degraded', info, error, details };
}
