import { availableParallelism, loadavg } from 'node:os';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { healthConfig, type HealthConfig } from '../core/config/configuration';
import type { ProcessSample } from './minute-history';
import { EVENT_LOOP_RESOLUTION_MS } from '../core/process/event-loop-resolution';

export interface ProcessFiguresView {
  memory: { rssMB: number; heapUsedMB: number; heapTotalMB: number; externalMB: number; limitMB: number; rssPercent: number };
  /** Process CPU time over wall time since the last sample, as a share of one core (100 = one core busy). */
  cpu: { percent: number; cores: number; loadAverage: { '1m': number; '5m': number; '15m': number } };
  /** Event-loop delay since the last sample. */
  eventLoop: { p50Ms: number; p99Ms: number; maxMs: number };
  uptimeSeconds: number;
}

const MB = 1_048_576;
/** A window shorter than this (a read right after a sample) is too noisy: the last full window's CPU share is reported. */
const MIN_CPU_WINDOW_MS = 250;

/**
 * What this process costs: memory against MEMORY_LIMIT_MB, CPU from `process.cpuUsage` deltas and the load
 * average, and the event-loop delay histogram. Windows run from one sample (`sample()`) to the next.
 */
@Injectable()
export class ProcessFigures implements OnModuleDestroy {
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
  private window = { cpu: process.cpuUsage(), at: performance.now() };
  private lastCpuPercent = 0;

  constructor(@Inject(healthConfig.KEY) private readonly health: HealthConfig) {
    this.loop.enable();
  }

  onModuleDestroy(): void {
    this.loop.disable();
  }

  read(): ProcessFiguresView {
    const usage = process.memoryUsage();
    const [one, five, fifteen] = loadavg();
    return {
      memory: {
        rssMB: mb(usage.rss),
        heapUsedMB: mb(usage.heapUsed),
        heapTotalMB: mb(usage.heapTotal),
        externalMB: mb(usage.external),
        limitMB: mb(this.health.memoryLimitBytes),
        rssPercent: round((usage.rss / this.health.memoryLimitBytes) * 100),
      },
      cpu: { percent: this.cpuPercent(), cores: availableParallelism(), loadAverage: { '1m': round(one), '5m': round(five), '15m': round(fifteen) } },
      eventLoop: { p50Ms: this.delayMs(this.loop.percentile(50)), p99Ms: this.delayMs(this.loop.percentile(99)), maxMs: this.delayMs(this.loop.max) },
      uptimeSeconds: Math.round(process.uptime()),
    };
  }

  /** Reads the figures for the history and starts the next window. */
  sample(): ProcessSample {
    const figures = this.read();
    this.lastCpuPercent = figures.cpu.percent;
    this.window = { cpu: process.cpuUsage(), at: performance.now() };
    this.loop.reset();
    return { rssMB: figures.memory.rssMB, heapUsedMB: figures.memory.heapUsedMB, cpuPercent: figures.cpu.percent, loopDelayP99Ms: figures.eventLoop.p99Ms };
  }

  private cpuPercent(): number {
    const elapsedMs = performance.now() - this.window.at;
    if (elapsedMs < MIN_CPU_WINDOW_MS) return this.lastCpuPercent;
    const { user, system } = process.cpuUsage(this.window.cpu);
    return round(((user + system) / 1_000 / elapsedMs) * 100);
  }

  /** The histogram reports nanoseconds, and NaN/huge values before its first measurement. */
  private delayMs(nanoseconds: number): number {
    return this.loop.count > 0 && Number.isFinite(nanoseconds) ? round(nanoseconds / 1e6) : 0;
  }
}

function mb(bytes: number): number {
  return round(bytes / MB);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
