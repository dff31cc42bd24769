import { createDecipheriv, createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { getMediaKeys } from '@whiskeysockets/baileys';
import { fetchMedia } from '../media-fetch';
import type { MediaType } from '../provider-events';
import { ProviderSendError } from '../provider-send.error';
import type { DownloadedMedia, MediaDownloadLimits, MediaDownloadRequest } from '../provider.port';

/** WhatsApp's media servers; the only origin a message's media is fetched from. */
const WHATSAPP_MEDIA_ORIGIN = 'https://mmg.whatsapp.net';
const MAC_BYTES = 10;
/** AES-CBC padding plus the MAC: what the encrypted file may add to the plaintext. */
const OVERHEAD_BYTES = 16 + MAC_BYTES;

export interface WhatsappMediaSettings {
  /** Tests only: a local stand-in for WhatsApp's media servers. */
  origin?: string;
  allowPrivate: boolean;
}

/**
 * Downloads and decrypts a WhatsApp media message. Baileys' own `downloadContentFromMessage` (rc14) connects to
 * whatever host the sender's message names, has no timeout and checks no MAC; so the encrypted file is fetched by
 * our bounded, SSRF-guarded fetch from WhatsApp's media origin only, and decrypted with Baileys' key derivation,
 * checking the MAC and both hashes the message carries.
 */
export async function downloadWhatsappMedia(
  request: MediaDownloadRequest,
  limits: MediaDownloadLimits,
  settings: WhatsappMediaSettings,
): Promise<DownloadedMedia> {
  const { source } = request;
  if (source.via !== 'whatsapp') throw new ProviderSendError(`baileys cannot download media by ${source.via}`, true);
  if (!/^\/[\w\-./%=&?+]+$/.test(source.directPath)) throw new ProviderSendError('media path is not a WhatsApp media path', true);
  const url = `${settings.origin ?? WHATSAPP_MEDIA_ORIGIN}${source.directPath}`;
  const fetched = await fetchMedia(
    url,
    { maxBytes: limits.maxBytes + OVERHEAD_BYTES, timeoutMs: limits.timeoutMs, allowPrivate: settings.allowPrivate },
    { headers: { Origin: 'https://web.whatsapp.com' } },
  );
  const data = await decryptWhatsappMedia(fetched.data, source, request.type);
  if (data.length > limits.maxBytes) throw new ProviderSendError(`media too large: ${data.length} bytes (limit ${limits.maxBytes})`, true);
  return { data };
}

type WhatsappSource = Extract<MediaDownloadRequest['source'], { via: 'whatsapp' }>;

export async function decryptWhatsappMedia(encrypted: Buffer, source: WhatsappSource, type: MediaType): Promise<Buffer> {
  if (encrypted.length < OVERHEAD_BYTES) throw new ProviderSendError('media file is truncated', false);
  if (source.fileEncSha256 && !sameDigest(sha256(encrypted), source.fileEncSha256)) throw new ProviderSendError('media file does not match its hash', false);
  const { cipherKey, iv, macKey } = await getMediaKeys(Buffer.from(source.mediaKey, 'base64'), keyTypeOf(type));
  if (!cipherKey || !iv || !macKey) throw new ProviderSendError('media key derivation failed', true);
  const file = encrypted.subarray(0, encrypted.length - MAC_BYTES);
  const mac = createHmac('sha256', macKey).update(iv).update(file).digest().subarray(0, MAC_BYTES);
  if (!timingSafeEqual(mac, encrypted.subarray(encrypted.length - MAC_BYTES))) throw new ProviderSendError('media MAC does not match', true);
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', cipherKey, iv);
    plain = Buffer.concat([decipher.update(file), decipher.final()]);
  } catch {
    throw new ProviderSendError('media does not decrypt with its key', true);
  }
  if (source.fileSha256 && !sameDigest(sha256(plain), source.fileSha256)) throw new ProviderSendError('decrypted media does not match its hash', true);
  return plain;
}

/** The key derivation is named by the media kind (voice notes are audio, stickers images: Baileys' table). */
function keyTypeOf(type: MediaType): 'image' | 'video' | 'audio' | 'document' | 'sticker' {
  return type === 'voice' ? 'audio' : type;
}

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

function sameDigest(actual: Buffer, expectedBase64: string): boolean {
  const expected = Buffer.from(expectedBase64, 'base64');
  return expected.length === actual.length && timingSafeEqual(actual, expected);
}
