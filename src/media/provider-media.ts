import { Injectable } from '@nestjs/common';
import { ProviderRegistry } from '../providers/provider-registry';
import type { DownloadedMedia, MediaDownloadLimits, MediaDownloadRequest } from '../providers/provider.port';
import { SessionManager } from '../sessions/session-manager.service';
import type { CompanyRecord } from '../tenancy/company';

/** The media needs the session's live client, which runs in another process (or nowhere) now. */
export class NotRunningHereError extends Error {
  constructor(session: string) {
    super(`session ${session} is not running in this process`);
  }
}

/**
 * Fetches a message's media from its provider: through the adapter when no connection is needed (Twilio URLs,
 * WhatsApp's media servers), else through the session's live client, which only its owner process holds.
 */
@Injectable()
export class ProviderMedia {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly manager: SessionManager,
  ) {}

  download(company: CompanyRecord, session: string, request: MediaDownloadRequest, limits: MediaDownloadLimits): Promise<DownloadedMedia> {
    const adapter = this.registry.adapterFor(company);
    if (request.source.via !== 'client' && adapter.downloadMedia) return adapter.downloadMedia({ company, name: session }, request, limits);
    const runtime = this.manager.runtime(company.slug, session);
    const client = runtime?.lease && runtime.status === 'WORKING' ? runtime.client : undefined;
    if (!client?.downloadMedia) throw new NotRunningHereError(session);
    return client.downloadMedia(request, limits);
  }
}
