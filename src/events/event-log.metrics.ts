import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';
import type { EventType } from './event-types';

/** The event log's own figures: what was appended, and how long a page took to become durable. */
@Injectable()
export class EventLogMetrics {
  readonly appended: Counter<'company' | 'type'>;
  readonly pageSeconds: Histogram<'company'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.appended = new Counter({
      name: 'vv_events_appended_total',
      help: 'Events appended to company logs, by type',
      labelNames: ['company', 'type'] as const,
      registers,
    });
    this.pageSeconds = new Histogram({
      name: 'vv_event_page_write_seconds',
      help: 'From a page of events being taken to its insert returning (retries included)',
      labelNames: ['company'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
  }

  count(company: string, types: EventType[]): void {
    const byType = new Map<EventType, number>();
    for (const type of types) byType.set(type, (byType.get(type) ?? 0) + 1);
    for (const [type, n] of byType) this.appended.inc({ company, type }, n);
  }
}
