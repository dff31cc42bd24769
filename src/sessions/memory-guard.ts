import { Inject, Injectable } from '@nestjs/common';
import { healthConfig, type HealthConfig } from '../core/config/configuration';
import { SessionsException } from './sessions.exception';

/** Refuses new sessions once RSS passes the "high" threshold; reports when it is critical. */
@Injectable()
export class MemoryGuard {
  constructor(@Inject(healthConfig.KEY) private readonly config: HealthConfig) {}

  assertRoomToStart(rss = process.memoryUsage.rss()): void {
    if (rss >= this.config.memoryLimitBytes * this.config.highRatio) {
      throw SessionsException.memory(Math.round(rss / 1048576), Math.round(this.config.memoryLimitBytes / 1048576));
    }
  }

  /** Above the "high" threshold: no session should be claimed here. */
  isHigh(rss = process.memoryUsage.rss()): boolean {
    return rss >= this.config.memoryLimitBytes * this.config.highRatio;
  }

  isCritical(rss = process.memoryUsage.rss()): boolean {
    return rss >= this.config.memoryLimitBytes * this.config.criticalRatio;
  }
}
