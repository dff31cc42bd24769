import { Inject, Injectable } from '@nestjs/common';
import { ExponentialBackoff, handleWhen, retry, type RetryPolicy } from 'cockatiel';
import { MessagesRepository, type MediaOutcome } from '../conversations/messages.repository';
import { isPermanentSendError } from '../providers/provider-send.error';
import type { DownloadedMedia } from '../providers/provider.port';
import type { CompanyRecord } from '../tenancy/company';
import { CompaniesService } from '../tenancy/companies.service';
import type { TenantContext } from '../tenancy/tenant-context';
import { MediaDownloadsRepository } from './media-downloads.repository';
import type { MediaJob } from './media-job';
import { MediaStore } from './media-store';
import { MediaUsageRepository } from './media-usage.repository';
import { mediaConfig, type MediaConfig } from './media.config';
import { MediaMetrics } from './media.metrics';
import { NotRunningHereError, ProviderMedia } from './provider-media';

/** How a job ended here: recorded on its message (`stored`, `failed`, `refused`), nothing to do, or left for the session's owner. */
export type MediaJobResult = MediaOutcome['status'] | 'skipped' | 'elsewhere';

const TOO_LARGE = /too large/i;
/** Media only a live client can fetch waits this long for its session to run somewhere. */
const CLIENT_WAIT_MS = 24 * 3_600_000;

/**
 * One download, start to end: the size and quota checks, the download with retries and backoff, the store, and the
 * outcome on the message. Whatever happens, the message stays; only its media status changes.
 */
@Injectable()
export class MediaDownloadService {
  private readonly retry: RetryPolicy;

  constructor(
    private readonly messages: MessagesRepository,
    private readonly downloads: MediaDownloadsRepository,
    private readonly usage: MediaUsageRepository,
    private readonly store: MediaStore,
    private readonly provider: ProviderMedia,
    private readonly companies: CompaniesService,
    private readonly metrics: MediaMetrics,
    @Inject(mediaConfig.KEY) private readonly config: MediaConfig,
  ) {
    this.retry = retry(
      handleWhen((error) => !isPermanentSendError(error) && !(error instanceof NotRunningHereError)),
      { maxAttempts: config.attempts - 1, backoff: new ExponentialBackoff({ initialDelay: config.retryBaseMs, maxDelay: 10 * config.retryBaseMs }) },
    );
  }

  async run(company: CompanyRecord, tenant: TenantContext, job: MediaJob, halt: AbortSignal): Promise<MediaJobResult> {
    const message = await this.messages.findById(tenant, job.id);
    if (message?.media?.status !== 'pending') {
      await this.downloads.remove(tenant, job.id);
      return 'skipped';
    }
    // The caps as they are now, not as when the job was queued.
    const quota = (await this.companies.get(company.slug)).caps.mediaQuotaBytes ?? this.config.quotaBytes;
    if (job.declaredSize !== undefined && job.declaredSize > this.config.maxBytes)
      return this.finish(tenant, job, { status: 'refused', reason: tooLarge(job.declaredSize, this.config.maxBytes) });
    if (job.declaredSize !== undefined && (await this.usage.used(tenant)) + job.declaredSize > quota)
      return this.finish(tenant, job, { status: 'refused', reason: overQuota(quota) });
    let downloaded: DownloadedMedia;
    try {
      downloaded = await this.retry.execute(
        () => this.provider.download(company, job.session, job, { maxBytes: this.config.maxBytes, timeoutMs: this.config.timeoutMs }),
        halt,
      );
    } catch (error) {
      if (error instanceof NotRunningHereError) {
        if (Date.now() - job.createdAt.getTime() < CLIENT_WAIT_MS) return 'elsewhere';
        return this.finish(tenant, job, { status: 'failed', reason: 'its session did not run to fetch it within 24 hours' });
      }
      if (halt.aborted) throw error;
      const reason = (error as Error).message;
      const tries = isPermanentSendError(error) ? '' : ` (after ${this.config.attempts} tries)`;
      return this.finish(tenant, job, { status: TOO_LARGE.test(reason) ? 'refused' : 'failed', reason: `${reason}${tries}` });
    }
    const { data } = downloaded;
    if (data.length > this.config.maxBytes) return this.finish(tenant, job, { status: 'refused', reason: tooLarge(data.length, this.config.maxBytes) });
    let file = await this.store.find(tenant, job.id);
    if (!file) {
      if (!(await this.usage.reserve(tenant, data.length, quota))) return this.finish(tenant, job, { status: 'refused', reason: overQuota(quota) });
      const mimeType = job.mimeType.includes('*') && downloaded.mimeType ? downloaded.mimeType : job.mimeType;
      try {
        file = await this.store.put(tenant, { id: job.id, session: job.session, mimeType, ...(job.fileName ? { fileName: job.fileName } : {}) }, data);
      } catch (error) {
        await this.usage.release(tenant, data.length).catch(() => undefined);
        throw error;
      }
    }
    this.metrics.storedBytes.inc({ company: company.slug }, file.size);
    return this.finish(tenant, job, { status: 'stored', size: file.size, sha256: file.sha256 });
  }

  /** Records the outcome on the message, then forgets the job (a crash in between only repeats the record). */
  private async finish(tenant: TenantContext, job: MediaJob, outcome: MediaOutcome): Promise<MediaJobResult> {
    await this.messages.recordMedia(tenant, job.id, outcome);
    await this.downloads.remove(tenant, job.id);
    return outcome.status;
  }
}

function tooLarge(size: number, limit: number): string {
  return `media too large: ${size} bytes (limit ${limit})`;
}

function overQuota(quota: number): string {
  return `over the company's media quota (${quota} bytes)`;
}
