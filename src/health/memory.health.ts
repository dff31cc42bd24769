import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { healthConfig, type HealthConfig } from '../core/config/configuration';

export type MemoryLevel = 'ok' | 'warning' | 'high' | 'critical';

/** RSS and heap against MEMORY_LIMIT_MB: warning and high still serve; critical fails readiness. */
@Injectable()
export class MemoryHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(healthConfig.KEY) private readonly config: HealthConfig,
  ) {}

  level(bytes: number): MemoryLevel {
    const ratio = bytes / this.config.memoryLimitBytes;
    if (ratio >= this.config.criticalRatio) return 'critical';
    if (ratio >= this.config.highRatio) return 'high';
    if (ratio >= this.config.warningRatio) return 'warning';
    return 'ok';
  }

  check(usage: NodeJS.MemoryUsage = process.memoryUsage()): HealthIndicatorResult {
    const indicator = this.indicators.check('memory');
    const rss = this.level(usage.rss);
    const heap = this.level(usage.heapUsed);
    const worst = [rss, heap].includes('critical')
      ? 'critical'
      : [rss, heap].includes('high')
        ? 'high'
        : rss === 'warning' || heap === 'warning'
          ? 'warning'
          : 'ok';
    const data = {
      level: worst,
      rssMB: Math.round(usage.rss / 1048576),
      heapUsedMB: Math.round(usage.heapUsed / 1048576),
      limitMB: Math.round(this.config.memoryLimitBytes / 1048576),
      rssLevel: rss,
      heapLevel: heap,
    };
    if (worst === 'critical') return indicator.down(data);
    if (worst === 'high') return indicator.degraded(data);
    return indicator.up(data);
  }
}
