import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';
import { BREAKER_STATES, type BreakerState } from './webhook-endpoint';

export interface EndpointGaugeEntry {
  company: string;
  endpoint: string;
  breaker: BreakerState;
  pending: number;
}

const OUTCOMES = ['delivered', 'dead-lettered', 'redelivered'] as const;
export type DeliveryOutcome = (typeof OUTCOMES)[number];

/** Webhook metrics on the service's registry, by company and endpoint id; gauges are read at scrape time from the dispatchers of this process. */
@Injectable()
export class WebhookMetrics {
  private snapshot: () => EndpointGaugeEntry[] = () => [];

  readonly deliveries: Counter<'company' | 'endpoint' | 'outcome'>;
  readonly failures: Counter<'company' | 'endpoint'>;
  readonly lag: Histogram<'company' | 'endpoint'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.deliveries = new Counter({
      name: 'vv_webhook_deliveries_total',
      help: 'Events done with, by endpoint and outcome (delivered, dead-lettered, redelivered from a dead letter)',
      labelNames: ['company', 'endpoint', 'outcome'] as const,
      registers,
    });
    this.failures = new Counter({
      name: 'vv_webhook_failures_total',
      help: 'Failed tries (not 2xx, timeout, refused) by endpoint',
      labelNames: ['company', 'endpoint'] as const,
      registers,
    });
    this.lag = new Histogram({
      name: 'vv_webhook_lag_seconds',
      help: 'From an event happening to its delivery, by endpoint',
      labelNames: ['company', 'endpoint'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1_800, 3_600, 21_600, 86_400],
      registers,
    });
    const entries = () => this.snapshot();
    new Gauge({
      name: 'vv_webhook_breaker_state',
      help: 'Circuit breaker of each endpoint this process delivers to: 0 closed, 1 half-open, 2 open',
      labelNames: ['company', 'endpoint'] as const,
      registers,
      collect() {
        this.reset();
        for (const { company, endpoint, breaker } of entries()) this.set({ company, endpoint }, BREAKER_STATES.indexOf(breaker));
      },
    });
    new Gauge({
      name: 'vv_webhook_pending_events',
      help: 'Events read and not yet delivered or dead-lettered, by endpoint this process delivers to',
      labelNames: ['company', 'endpoint'] as const,
      registers,
      collect() {
        this.reset();
        for (const { company, endpoint, pending } of entries()) this.set({ company, endpoint }, pending);
      },
    });
  }

  /** The dispatch service registers how to read its endpoints at scrape time. */
  observe(snapshot: () => EndpointGaugeEntry[]): void {
    this.snapshot = snapshot;
  }

  /** Drops a removed endpoint's series, so label sets stay bounded. */
  forget(company: string, endpoint: string): void {
    for (const outcome of OUTCOMES) this.deliveries.remove({ company, endpoint, outcome });
    this.failures.remove({ company, endpoint });
    this.lag.remove({ company, endpoint });
  }
}
