import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';

/** The live stream's metrics, in the service's one registry. */
@Injectable()
export class LiveMetrics {
  readonly eventsEmitted: Counter<'company'>;
  private sockets: () => ReadonlyMap<string, number> = () => new Map();

  constructor(metrics: MetricsService) {
    this.eventsEmitted = new Counter({
      name: 'vv_live_events_emitted_total',
      help: 'Events this process broadcast to live sockets (those of every process when REDIS_URL is set), by company',
      labelNames: ['company'] as const,
      registers: [metrics.registry],
    });
    const read = () => this.sockets();
    new Gauge({
      name: 'vv_live_sockets',
      help: 'Live sockets open on this process, by company ("*": the admin key)',
      labelNames: ['company'] as const,
      registers: [metrics.registry],
      collect() {
        this.reset();
        for (const [company, open] of read()) this.set({ company }, open);
      },
    });
  }

  /** The gateway registers how to count its sockets at scrape time. */
  observeSockets(snapshot: () => ReadonlyMap<string, number>): void {
    this.sockets = snapshot;
  }
}
