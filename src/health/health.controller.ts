import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Connection } from 'mongoose';
import { Public } from '../auth/auth.decorators';
import { healthConfig, type HealthConfig } from '../core/config/configuration';
import { Draining } from '../core/lifecycle/draining';
import { CompaniesService } from '../tenancy/companies.service';
import { CompanyHealthIndicator } from './company.health';
import { foldHealth, type HealthReport } from './health-report';
import { IngestHealthIndicator } from './ingest.health';
import { MemoryHealthIndicator } from './memory.health';
import { withTimeout } from './with-timeout';

/**
 * Liveness says the process answers. Readiness fails only when this instance cannot serve anyone
 * (control database down, memory critical); a company whose database is down is named `down`
 * without failing it, so one tenant's outage never gets the instance restarted.
 */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly memory: MemoryHealthIndicator,
    private readonly companyHealth: CompanyHealthIndicator,
    private readonly ingest: IngestHealthIndicator,
    private readonly companies: CompaniesService,
    @InjectConnection() private readonly control: Connection,
    @Inject(healthConfig.KEY) private readonly config: HealthConfig,
    private readonly draining: Draining,
  ) {}

  @Get('live')
  live(): HealthReport {
    return foldHealth([this.indicators.check('process').up({ uptimeSeconds: Math.round(process.uptime()) })], []);
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) response: FastifyReply): Promise<HealthReport> {
    if (this.draining.active) return send(response, foldHealth([this.indicators.check('process').down({ reason: 'shutting down' })], []));
    const [control, companies] = await Promise.all([this.checkControlDb(), this.companies.list().catch(() => [])]);
    const perCompany = await Promise.all(companies.map((company) => this.companyHealth.check(company)));
    return send(response, foldHealth([control, this.memory.check()], [this.ingest.check(), ...perCompany]));
  }

  @Get('companies/:company')
  async company(@Param('company') slug: string, @Res({ passthrough: true }) response: FastifyReply): Promise<HealthReport> {
    const company = await this.companies.get(slug);
    return send(response, foldHealth([await this.companyHealth.check(company)], []));
  }

  private async checkControlDb(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('control-db');
    try {
      await withTimeout(this.control.db!.admin().ping(), this.config.dbPingTimeoutMs, 'control database ping timed out');
      return indicator.up();
    } catch (error) {
      return indicator.down({ reason: (error as Error).message });
    }
  }
}

function send(response: FastifyReply, report: HealthReport): HealthReport {
  response.status(report.status === 'error' ? 503 : 200);
  return report;
}
