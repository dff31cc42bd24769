import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { MessagesRepository } from '../conversations/messages.repository';
import { SessionsService } from '../sessions/sessions.service';
import type { TenantContext } from '../tenancy/tenant-context';
import { MediaStore, type MediaFile } from './media-store';
import { MediaException } from './media.exception';

/** Serves stored media of a session's messages, within the company that owns them. */
@Injectable()
export class MediaService {
  constructor(
    private readonly sessions: SessionsService,
    private readonly store: MediaStore,
    private readonly messages: MessagesRepository,
  ) {}

  async open(tenant: TenantContext, session: string, id: string): Promise<{ file: MediaFile; stream: Readable }> {
    await this.sessions.get(tenant.company, session);
    if (!/^[0-9a-f]{24}$/.test(id)) throw MediaException.notFound(session, id);
    const file = await this.store.find(tenant, id);
    if (file && file.session === session) return { file, stream: this.store.read(tenant, file) };
    const message = await this.messages.findById(tenant, id);
    if (!message || message.session !== session || !message.media) throw MediaException.notFound(session, id);
    throw MediaException.notAvailable(id, message.media);
  }
}
