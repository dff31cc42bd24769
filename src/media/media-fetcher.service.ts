import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { settleWithin } from '../core/async/settle-within';
import type { CompanyRecord } from '../tenancy/company';
import { CompaniesService } from '../tenancy/companies.service';
import { TenantConnectionPool } from '../tenancy/tenant-connection-pool.service';
import { MediaDownloadService, type MediaJobResult } from './media-download.service';
import { MediaDownloadsRepository } from './media-downloads.repository';
import type { MediaJob } from './media-job';
import { MediaQueue } from './media-queue';
import { mediaConfig, type MediaConfig } from './media.config';
import { MediaMetrics } from './media.metrics';

/** Jobs held in memory per company; beyond, they wait in the database for a sweep. */
const MAX_QUEUED = 1_000;
const SWEEP_PAGE = 500;
const SHUTDOWN_WAIT_MS = 5_000;

interface Lane {
  company: CompanyRecord;
  queue: MediaJob[];
  running: number;
}

/**
 * Works the media downloads of this process: per company a bounded queue and at most MEDIA_DOWNLOAD_CONCURRENCY
 * downloads at once. New jobs arrive from ingest (leased to this process); a periodic sweep takes over the jobs
 * whose lease ran out (a crashed or restarted process, a session now running here), so none is lost.
 */
@Injectable()
export class MediaFetcher implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MediaFetcher.name);
  private readonly lanes = new Map<string, Lane>();
  private readonly held = new Set<string>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly halt = new AbortController();
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly queue: MediaQueue,
    private readonly downloads: MediaDownloadsRepository,
    private readonly download: MediaDownloadService,
    private readonly companies: CompaniesService,
    private readonly pool: TenantConnectionPool,
    private readonly metrics: MediaMetrics,
    @Inject(mediaConfig.KEY) private readonly config: MediaConfig,
  ) {}

  onModuleInit(): void {
    this.queue.on('queued', (company, jobs) => this.accept(company, jobs));
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.sweepIntervalMs);
    this.timer.unref();
    void this.sweep();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.halt.abort();
    await settleWithin(Promise.allSettled([...this.inFlight]), SHUTDOWN_WAIT_MS);
    // What was waiting here is given back at once, for the next process.
    for (const lane of this.lanes.values()) {
      const tenant = this.pool.contextFor(lane.company);
      for (const job of lane.queue.splice(0)) await this.downloads.release(tenant, job.id, this.queue.owner).catch(() => undefined);
    }
  }

  /** Takes over every job no live process holds; resolves once they are queued here. */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepAll().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  /** Resolves when no download is queued or running here (tests). */
  idle(): Promise<void> {
    if (this.busy() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async sweepAll(): Promise<void> {
    if (this.halt.signal.aborted) return;
    const companies = await this.companies.listRecent().catch(() => []);
    for (const company of companies) {
      try {
        const now = new Date();
        const due = (await this.downloads.list(this.pool.contextFor(company), SWEEP_PAGE)).filter((job) => job.leaseUntil < now && !this.held.has(job.id));
        this.accept(company, due);
      } catch (error) {
        this.logger.warn({ company: company.slug, err: (error as Error).message }, 'media sweep failed; tried again at the next one');
      }
    }
  }

  private accept(company: CompanyRecord, jobs: MediaJob[]): void {
    if (this.halt.signal.aborted) return;
    const lane = this.laneFor(company);
    for (const job of jobs) {
      if (this.held.has(job.id) || lane.queue.length >= MAX_QUEUED) continue;
      this.held.add(job.id);
      lane.queue.push(job);
    }
    this.pump(lane);
  }

  private pump(lane: Lane): void {
    while (lane.running < this.config.concurrency && lane.queue.length > 0 && !this.halt.signal.aborted) {
      const job = lane.queue.shift()!;
      lane.running++;
      const work = this.process(lane.company, job).finally(() => {
        lane.running--;
        this.held.delete(job.id);
        this.inFlight.delete(work);
        this.pump(lane);
        if (this.busy() === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
      this.inFlight.add(work);
    }
  }

  private async process(company: CompanyRecord, job: MediaJob): Promise<void> {
    const tenant = this.pool.contextFor(company);
    const owner = this.queue.owner;
    let result: MediaJobResult;
    try {
      const now = new Date();
      if (!(await this.downloads.claim(tenant, job.id, owner, now, new Date(now.getTime() + this.queue.leaseMs)))) return;
      const started = Date.now();
      result = await this.download.run(company, tenant, job, this.halt.signal);
      if (result !== 'skipped' && result !== 'elsewhere') {
        this.metrics.downloads.inc({ company: company.slug, result });
        this.metrics.downloadSeconds.observe({ company: company.slug }, (Date.now() - started) / 1000);
      }
      // Its session runs elsewhere (or nowhere): looked at again by the next sweep, here or in its owner.
      if (result === 'elsewhere') await this.downloads.release(tenant, job.id, owner, new Date(Date.now() + this.config.sweepIntervalMs));
    } catch (error) {
      if (this.halt.signal.aborted) return void (await this.downloads.release(tenant, job.id, owner).catch(() => undefined));
      this.logger.warn({ company: company.slug, message: job.id, err: (error as Error).message }, 'media download interrupted; retried at a later sweep');
      await this.downloads.release(tenant, job.id, owner, new Date(Date.now() + this.config.retryBaseMs)).catch(() => undefined);
    }
  }

  private laneFor(company: CompanyRecord): Lane {
    let lane = this.lanes.get(company.slug);
    if (!lane) {
      lane = { company, queue: [], running: 0 };
      this.lanes.set(company.slug, lane);
    }
    return lane;
  }

  private busy(): number {
    let count = 0;
    for (const lane of this.lanes.values()) count += lane.running + lane.queue.length;
    return count;
  }
}
