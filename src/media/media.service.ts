import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { MessagesRepository } from '../conversations/messages.repository';
import { SessionsService } from '../sessions/sessions.service';
import { TenantConnectionPool } from '../tenancy/tenant-connection-pool.service';
import { MediaStore, type MediaFile } from './media-store';
import { MediaException } from './media.exception';

/** Serves stored media of a session's messages, within the company that owns them. */
@Injectable()
export class MediaService {
  constructor(
    private readonly sessions: SessionsService,
    private readonly pool: TenantConnectionPool,
    private readonly store: MediaStore,
    private readonly messages: MessagesRepository,
  ) {}

  async open(company: string, session: string, id: string): Promise<{ file: MediaFile; stream: Readable }> {
    await this.sessions.get(company, session);
    const tenant = await this.pool.forCompany(company);
    if (!/^[0-9a-f]{24}$/.test(id)) throw MediaException.notFound(session, id);
    const file = await this.store.find(tenant, id);
    if (file && file.session === session) return { file, stream: this.store.read(tenant, file) };
    const message = await this.messages.findById(tenant, id);
    if (!message || message.session !== session || !message.media) throw MediaException.notFound(session, id);
    throw MediaException.notAvailable(id, message.media);
  }
}
