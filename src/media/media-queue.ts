import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Inject, Injectable } from '@nestjs/common';
import type { CompanyRecord } from '../tenancy/company';
import type { TenantContext } from '../tenancy/tenant-context';
import { MediaDownloadsRepository } from './media-downloads.repository';
import type { MediaJob } from './media-job';
import { mediaConfig, type MediaConfig } from './media.config';

interface Events {
  queued: [CompanyRecord, MediaJob[]];
}

/**
 * Where ingest hands media downloads over, once their messages are stored: the jobs are made durable (leased
 * to this process) and announced to the fetcher in this process. Ingest depends on this, never on the fetcher.
 */
@Injectable()
export class MediaQueue extends EventEmitter<Events> {
  /** The lease owner of this process's downloads. */
  readonly owner = `media:${randomBytes(6).toString('hex')}`;

  constructor(
    private readonly downloads: MediaDownloadsRepository,
    @Inject(mediaConfig.KEY) private readonly config: MediaConfig,
  ) {
    super();
  }

  /** How long a download is held by one process before another may take it over. */
  get leaseMs(): number {
    return this.config.timeoutMs * 2 + 5_000;
  }

  async add(company: CompanyRecord, tenant: TenantContext, jobs: MediaJob[]): Promise<void> {
    if (jobs.length === 0) return;
    const inserted = new Set(await this.downloads.add(tenant, jobs, this.owner, new Date(Date.now() + this.leaseMs)));
    const mine = jobs.filter((job) => inserted.has(job.id));
    if (mine.length > 0) this.emit('queued', company, mine);
  }
}
