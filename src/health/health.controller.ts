import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { ApiHeader, ApiOkResponse, ApiSecurity, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Connection } from 'mongoose';
import { Public } from '../auth/auth.decorators';
import type { HttpRequestLike } from '../auth/request-credentials';
import { healthConfig, type HealthConfig } from '../core/config/configuration';
import { Draining } from '../core/lifecycle/draining';
import { CompaniesService } from '../tenancy/companies.service';
import type { CompanyRecord } from '../tenancy/company';
import { CurrentCompany } from '../tenancy/http/route-company.decorators';
import { CompanyHealthIndicator } from './company.health';
import { foldHealth, type HealthReport } from './health-report';
import { IngestHealthIndicator } from './ingest.health';
import { MemoryHealthIndicator } from './memory.health';
import { ProbeAccess } from './probe-access';
import { summarizeReadiness, type ReadinessSummary } from './readiness-summary';
import { withTimeout } from './with-timeout';

/**
 * Liveness says the process answers. Readiness fails only when this instance cannot serve anyone
 * (control database down, memory critical); a company whose database is down is counted `down`
 * without failing it, so one tenant's outage never gets the instance restarted. Names and figures per
 * company go only to the admin key or the probe token (readiness) and to the company's own key.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly memory: MemoryHealthIndicator,
    private readonly companyHealth: CompanyHealthIndicator,
    private readonly ingest: IngestHealthIndicator,
    private readonly companies: CompaniesService,
    private readonly access: ProbeAccess,
    @InjectConnection() private readonly control: Connection,
    @Inject(healthConfig.KEY) private readonly config: HealthConfig,
    private readonly draining: Draining,
  ) {}

  @Get('live')
  @Public()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Render's health check calls this without credentials: the status code is the same for every caller. */
  @Get('ready')
  @Public()
  @ApiHeader({ name: 'Authorization', required: false, description: '`Bearer <PROBE_TOKEN>`: per-company detail' })
  @ApiOkResponse({ description: 'Ready. Without credentials: `{ status, checks, companies: { total, up, degraded, down } }`' })
  @ApiServiceUnavailableResponse({ description: 'Not ready: shutting down, control database down or memory critical' })
  async ready(@Req() request: HttpRequestLike, @Res({ passthrough: true }) response: FastifyReply): Promise<HealthReport | ReadinessSummary> {
    const detail = await this.access.seesDetail(request);
    if (this.draining.active) {
      const report = foldHealth([this.indicators.check('process').down({ reason: 'shutting down' })], []);
      return send(response, report, detail ? report : summarizeReadiness(report, []));
    }
    const [control, companies] = await Promise.all([this.checkControlDb(), this.companies.list().catch(() => [])]);
    const perCompany = await Promise.all(companies.map((company) => this.companyHealth.check(company)));
    const report = foldHealth([control, this.memory.check()], [this.ingest.check(), ...perCompany]);
    const summary = summarizeReadiness(report, perCompany);
    return send(response, report, detail ? { ...report, companies: summary.companies } : summary);
  }

  /** The admin key or the company's own key; any other key is 403 whether or not the company exists. */
  @Get('companies/:company')
  @ApiSecurity('api-key')
  @ApiOkResponse({ description: "The company's database, pool and sessions" })
  @ApiServiceUnavailableResponse({ description: "The company's database is unreachable" })
  async company(@CurrentCompany() company: CompanyRecord, @Res({ passthrough: true }) response: FastifyReply): Promise<HealthReport> {
    const report = foldHealth([await this.companyHealth.check(company)], []);
    return send(response, report, report);
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

function send<T>(response: FastifyReply, report: HealthReport, body: T): T {
  response.status(report.status === 'error' ? 503 : 200);
  return body;
}
