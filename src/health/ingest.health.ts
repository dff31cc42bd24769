import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { InboundIntake } from '../ingest/inbound-intake.service';

/**
 * Inbound messages held in memory until durable, against their bound. A full buffer is reported
 * `down` by name without failing readiness: the instance still serves, and sources are already
 * being asked to redeliver (or paused); restarting it would only drop what it holds. `writeAgeSeconds`
 * names the companies whose batch is still trying to become durable, and for how long: a database
 * that stopped answering one company shows here before its buffer fills.
 */
@Injectable()
export class IngestHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly intake: InboundIntake,
  ) {}

  check(): HealthIndicatorResult {
    const { total, waiting, limits, byCompany, writeAgeSeconds } = this.intake.budgetSnapshot();
    const data = { held: total, limit: limits.global, perCompanyLimit: limits.perCompany, waitingSources: waiting, heldByCompany: byCompany, writeAgeSeconds };
    const indicator = this.indicators.check('ingest');
    return total >= limits.global ? indicator.down(data) : indicator.up(data);
  }
}
