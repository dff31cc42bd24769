import type { Readable } from 'node:stream';
import type { TenantContext } from '../tenancy/tenant-context';

/** A stored media file: the bytes of one message's media. `id` is the message's id. */
export interface MediaFile {
  id: string;
  session: string;
  mimeType: string;
  fileName?: string;
  size: number;
  sha256: string;
  createdAt: Date;
}

export type NewMediaFile = Omit<MediaFile, 'size' | 'sha256' | 'createdAt'>;

/**
 * Where media bytes live, in the company's own database. Writes are idempotent per id (a retried download
 * stores nothing twice); reads stream the bytes in order.
 */
export abstract class MediaStore {
  abstract put(tenant: TenantContext, file: NewMediaFile, data: Buffer): Promise<MediaFile>;
  abstract find(tenant: TenantContext, id: string): Promise<MediaFile | null>;
  abstract read(tenant: TenantContext, file: MediaFile): Readable;
}
