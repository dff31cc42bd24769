import type { AnyMessageContent, proto } from '@whiskeysockets/baileys';
import type { StoredMessage } from '../../conversations/message';
import type { FetchedMedia } from '../media-fetch';
import type { OutboundMessage } from '../provider.port';

const IMAGE_EXTENSIONS = new Set(['jpg', 'jpeg', 'png', 'webp']);

const DOCUMENT_MIME_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  zip: 'application/zip',
  mp4: 'video/mp4',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  gif: 'image/gif',
};

/**
 * Text as is; media as an image when the URL names one, else as a document. With `fetched` (what we downloaded,
 * bounded and checked) Baileys gets the bytes and fetches nothing itself; without, it gets the URL.
 */
export function outboundContentOf(message: OutboundMessage, fetched?: FetchedMedia): AnyMessageContent {
  if (!('mediaUrl' in message)) return { text: message.text };
  const { extension, fileName } = fileOf(message.mediaUrl);
  const source = fetched ? fetched.data : { url: message.mediaUrl };
  if (IMAGE_EXTENSIONS.has(extension)) return { image: source, caption: message.caption };
  return {
    document: source,
    mimetype: DOCUMENT_MIME_TYPES[extension] ?? (fetched?.mimeType || 'application/octet-stream'),
    fileName,
    caption: message.caption,
  };
}

function fileOf(url: string): { extension: string; fileName?: string } {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    throw new Error(`"${url}" is not a media URL`);
  }
  const fileName = decodeURIComponent(path.split('/').pop() ?? '') || undefined;
  const extension = fileName?.includes('.') ? fileName.split('.').pop()!.toLowerCase() : '';
  return { extension, fileName };
}

/**
 * What Baileys sends again when a recipient asks for a message we sent after its own 5-minute cache (or a
 * restart) forgot it: the text we stored. Media cannot be rebuilt from what we store (WhatsApp's upload
 * keys are not kept), and a retry only ever concerns our own messages, so nothing else is answered.
 */
export function resendContentOf(stored: StoredMessage | undefined): proto.IMessage | undefined {
  if (!stored || stored.direction !== 'outbound' || stored.media || !stored.text) return undefined;
  return { conversation: stored.text };
}
