import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';

/** Inbound media downloads: how each ended, and the bytes kept. */
@Injectable()
export class MediaMetrics {
  readonly downloads: Counter<'company' | 'result'>;
  readonly storedBytes: Counter<'company'>;
  readonly downloadSeconds: Histogram<'company'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.downloads = new Counter({
      name: 'vv_media_downloads_total',
      help: 'Inbound media downloads by how they ended (stored, failed, refused)',
      labelNames: ['company', 'result'] as const,
      registers,
    });
    this.storedBytes = new Counter({ name: 'vv_media_stored_bytes_total', help: 'Bytes of inbound media stored', labelNames: ['company'] as const, registers });
    this.downloadSeconds = new Histogram({
      name: 'vv_media_download_seconds',
      help: 'From a download starting here to its outcome recorded (retries included)',
      labelNames: ['company'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
  }
}
