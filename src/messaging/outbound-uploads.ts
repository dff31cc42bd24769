import { Injectable } from '@nestjs/common';
import { MediaStore } from '../media/media-store';
import { ProviderSendError } from '../providers/provider-send.error';
import type { TenantContext } from '../tenancy/tenant-context';
import type { StoredUpload } from './outbound-message';

export interface UploadedFile {
  data: Buffer;
  mimeType: string;
  fileName?: string;
}

/**
 * The bytes of uploaded outbound media, kept in the company's media store under the outbound message's id until
 * (and after) it is sent, so a restart loses nothing; `GET …/messages/:id/media` serves them with that id.
 */
@Injectable()
export class OutboundUploads {
  constructor(private readonly store: MediaStore) {}

  async put(tenant: TenantContext, id: string, session: string, file: UploadedFile): Promise<StoredUpload> {
    const stored = await this.store.put(tenant, { id, session, mimeType: file.mimeType, ...(file.fileName ? { fileName: file.fileName } : {}) }, file.data);
    return { id: stored.id, size: stored.size, sha256: stored.sha256 };
  }

  async read(tenant: TenantContext, upload: StoredUpload): Promise<Buffer> {
    const file = await this.store.find(tenant, upload.id);
    if (!file) throw new ProviderSendError(`the uploaded file ${upload.id} is no longer stored`, true);
    const chunks: Buffer[] = [];
    for await (const chunk of this.store.read(tenant, file)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
}
