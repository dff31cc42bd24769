import { Inject, Injectable } from '@nestjs/common';
import { AuthException } from '../auth/auth.exception';
import type { Principal } from '../auth/principal';
import { databaseConfig, type DatabaseConfig } from '../core/config/configuration';
import { DriverPoolMonitor } from '../core/database/driver-pool-monitor';
import type { CompanyRecord } from '../tenancy/company';
import { CompaniesService } from '../tenancy/companies.service';
import { TenantConnectionPool } from '../tenancy/tenant-connection-pool.service';
import { addCounts, CompanyFigures, type SessionCounts } from './company-figures';
import type { MessageRates } from './minute-history';
import { ProcessFigures } from './process-figures';
import { StatsRecorder } from './stats-recorder';
import { statsConfig, type StatsConfig } from './stats.config';
import type { CompanyStats, StatsHistoryView, StatsScope, StatsView } from './stats.types';

/**
 * Gathers the operator's figures from the services that own them. A company key sees its own company only
 * (another answers 403, whether or not it exists, as everywhere in the API); process-wide figures go to both.
 */
@Injectable()
export class StatsService {
  constructor(
    private readonly companies: CompaniesService,
    private readonly figures: CompanyFigures,
    private readonly recorder: StatsRecorder,
    private readonly processFigures: ProcessFigures,
    private readonly pool: TenantConnectionPool,
    private readonly driverPool: DriverPoolMonitor,
    @Inject(databaseConfig.KEY) private readonly database: DatabaseConfig,
    @Inject(statsConfig.KEY) private readonly config: StatsConfig,
  ) {}

  async snapshot(principal: Principal, requested?: string): Promise<StatsView> {
    const { scope, companies } = await this.resolve(principal, requested);
    const perCompany = await Promise.all(companies.map((company) => this.companyStats(company)));
    const view: StatsView = {
      at: new Date().toISOString(),
      scope,
      process: this.processFigures.read(),
      companies: perCompany,
      totals: totals(perCompany),
    };
    if (scope.kind === 'admin') {
      view.database = { pool: { ...this.driverPool.snapshot(), max: this.database.pool.maxPoolSize }, dedicatedConnections: this.pool.dedicatedOpen() };
    }
    return view;
  }

  async history(principal: Principal, minutes: number, requested?: string): Promise<StatsHistoryView> {
    const { scope, companies } = await this.resolve(principal, requested);
    const only = scope.kind === 'admin' && scope.company === undefined ? undefined : new Set(companies.map((company) => company.slug));
    return { scope, sampleIntervalMs: this.config.sampleIntervalMs, ...this.recorder.history.series(minutes, only) };
  }

  private async resolve(principal: Principal, requested?: string): Promise<{ scope: StatsScope; companies: CompanyRecord[] }> {
    if (principal.kind === 'company') {
      if (requested !== undefined && requested !== principal.company) throw AuthException.forbidden();
      return { scope: { kind: 'company', company: principal.company }, companies: [await this.companies.get(principal.company)] };
    }
    if (requested !== undefined) return { scope: { kind: 'admin', company: requested }, companies: [await this.companies.get(requested)] };
    return { scope: { kind: 'admin' }, companies: await this.figures.listCompanies() };
  }

  private async companyStats(company: CompanyRecord): Promise<CompanyStats> {
    const [stored, queues] = await Promise.all([this.figures.read(company), this.recorder.queueDepths(company)]);
    const { active, queued, limit, rejected, saturation, dedicated } = this.pool.stats(company);
    return {
      company: company.slug,
      displayName: company.displayName,
      provider: company.provider,
      sessions: stored.sessions,
      pool: { active, queued, limit, rejected, saturation, dedicated },
      queues,
      messages: this.recorder.history.rates(company.slug),
      readAt: stored.readAt,
    };
  }
}

function totals(companies: CompanyStats[]): StatsView['totals'] {
  const sessions: SessionCounts = { total: 0, byStatus: {}, byProvider: {} };
  const queues: Record<string, number> = {};
  const messages: MessageRates = { receivedPerMinute: 0, sentPerMinute: 0, receivedLastHour: 0, sentLastHour: 0 };
  for (const company of companies) {
    if (company.sessions) addCounts(sessions, company.sessions);
    for (const [queue, depth] of Object.entries(company.queues)) queues[queue] = (queues[queue] ?? 0) + (depth ?? 0);
    for (const key of Object.keys(messages) as Array<keyof MessageRates>) messages[key] = Math.round((messages[key] + company.messages[key]) * 10) / 10;
  }
  return { sessions, queues, messages };
}
