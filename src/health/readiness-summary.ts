import type { HealthIndicatorResult } from '@nestjs/terminus';
import type { HealthReport } from './health-report';

type IndicatorStatus = 'up' | 'degraded' | 'down';

/** Readiness for anyone: the instance's own checks by status, companies only as counts (no names, no figures). */
export interface ReadinessSummary {
  status: HealthReport['status'];
  checks: Record<string, IndicatorStatus>;
  companies: { total: number } & Record<IndicatorStatus, number>;
}

export function summarizeReadiness(report: HealthReport, companyResults: HealthIndicatorResult[]): ReadinessSummary {
  const companies = { total: 0, up: 0, degraded: 0, down: 0 };
  const companyKeys = new Set<string>();
  for (const result of companyResults) {
    for (const [slug, value] of Object.entries(result)) {
      companyKeys.add(slug);
      companies.total++;
      companies[value.status as IndicatorStatus]++;
    }
  }
  const checks: Record<string, IndicatorStatus> = {};
  for (const [name, value] of Object.entries(report.details)) if (!companyKeys.has(name)) checks[name] = value.status as IndicatorStatus;
  return { status: report.status, checks, companies };
}
