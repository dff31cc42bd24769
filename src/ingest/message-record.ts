import type { Types } from 'mongoose';
import type { StoredMedia } from '../conversations/message';
import type { MediaJob } from '../media/media-job';
import { MESSAGE_EXTRAS, type MediaDescriptor, type MediaSource, type MessageExtras } from '../providers/provider-events';
import type { DurableMessage } from './inbound-item';

/** The media record a message is stored with: `pending` when it can be fetched, the URL for media we sent by URL. */
export function storedMediaOf(media: MediaDescriptor): StoredMedia {
  const stored: StoredMedia = { type: media.type, mimeType: media.mimeType };
  if (media.sizeBytes !== undefined) stored.size = media.sizeBytes;
  if (media.caption !== undefined) stored.caption = media.caption;
  if (media.fileName !== undefined) stored.fileName = media.fileName;
  if (media.source) stored.status = 'pending';
  else if (media.url) stored.url = media.url;
  else Object.assign(stored, { status: 'failed', reason: 'the provider gives no way to fetch it' });
  return stored;
}

/** The download a stored message needs, if any. */
export function mediaJobOf({ id, session, message }: DurableMessage): MediaJob | undefined {
  const media = message.media;
  if (!media?.source) return undefined;
  return jobOf(id, session, message.providerMessageId, media, media.source);
}

function jobOf(id: Types.ObjectId, session: string, providerMessageId: string, media: MediaDescriptor, source: MediaSource): MediaJob {
  const job: MediaJob = { id: id.toHexString(), session, providerMessageId, type: media.type, mimeType: media.mimeType, source, createdAt: new Date() };
  if (media.fileName) job.fileName = media.fileName;
  if (media.sizeBytes !== undefined) job.declaredSize = media.sizeBytes;
  return job;
}

/** The extras a message carries (location, contact, reaction, quote, template), as stored and logged. */
export function extrasOf(message: MessageExtras): MessageExtras {
  const extras: Record<string, unknown> = {};
  for (const field of MESSAGE_EXTRAS) if (message[field] !== undefined) extras[field] = message[field];
  return extras as MessageExtras;
}
