import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { healthConfig, type HealthConfig } from '../core/config/configuration';
import { SessionsRepository } from '../sessions/sessions.repository';
import type { CompanyRecord } from '../tenancy/company';
import { TenantConnectionPool } from '../tenancy/tenant-connection-pool.service';
import { withTimeout } from './with-timeout';

/** One indicator per company, named by its slug: database ping (ungated), pool saturation, sessions by status. */
@Injectable()
export class CompanyHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly pool: TenantConnectionPool,
    private readonly sessions: SessionsRepository,
    @Inject(healthConfig.KEY) private readonly config: HealthConfig,
  ) {}

  async check(company: CompanyRecord): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(company.slug);
    const { saturation, active, queued, limit, rejected, dedicated } = this.pool.stats(company);
    const pool = { saturation, active, queued, limit, rejected, dedicated };
    const started = performance.now();
    try {
      await withTimeout(
        this.pool.runUngated(company, (db) => db.db!.admin().ping()),
        this.config.dbPingTimeoutMs,
        'database ping timed out',
      );
    } catch (error) {
      return indicator.down({ database: 'down', reason: (error as Error).message, pool });
    }
    const pingMs = Math.round(performance.now() - started);
    const sessions = await this.sessions.countByStatus(company.slug).catch(() => ({}));
    const result = { database: 'up', pingMs, pool, sessions };
    return saturation >= 1 ? indicator.degraded({ ...result, reason: 'operation cap saturated' }) : indicator.up(result);
  }
}
