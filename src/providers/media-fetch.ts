import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { guardedLookup, isPrivateAddress, literalAddressOf } from '../core/net/private-address';
import { ProviderSendError } from './provider-send.error';
import type { OutboundMessage } from './provider.port';

/** Kept for callers that check a media URL before queueing; the checks live in core/net, shared with webhooks. */
export { isPrivateAddress };

export interface MediaFetchLimits {
  maxBytes: number;
  timeoutMs: number;
  /** Tests only: allow private, loopback and link-local addresses. */
  allowPrivate: boolean;
}

export interface MediaFetchOptions {
  /** Sent to the first URL's origin only, never after a redirect elsewhere (credentials stay with their host). */
  headers?: Record<string, string>;
}

export interface FetchedMedia {
  data: Buffer;
  mimeType: string;
  fileName?: string;
}

const MAX_REDIRECTS = 3;

/**
 * Fetches an outbound media URL for a provider: http(s) only, at most `maxBytes` (by header and by count),
 * within `timeoutMs` in all, up to 3 redirects. Every address connected to is checked at connect time (so a
 * DNS answer cannot swap in a private address after the check); private ones are refused unless allowed.
 */
export async function fetchMedia(url: string, limits: MediaFetchLimits, options: MediaFetchOptions = {}): Promise<FetchedMedia> {
  const deadline = Date.now() + limits.timeoutMs;
  let current = parse(url);
  const origin = current.origin;
  for (let redirects = 0; ; redirects++) {
    const response = await request(current, limits, deadline, current.origin === origin ? options.headers : undefined);
    const location = response.headers.location;
    if (response.statusCode && response.statusCode >= 300 && response.statusCode < 400 && location) {
      response.resume();
      if (redirects >= MAX_REDIRECTS) throw new ProviderSendError(`media URL redirected more than ${MAX_REDIRECTS} times`, true);
      current = parse(new URL(location, current).toString());
      continue;
    }
    if (response.statusCode !== 200) {
      response.resume();
      throw new ProviderSendError(`media URL answered ${response.statusCode}`, (response.statusCode ?? 500) < 500);
    }
    const data = await readBounded(response, limits.maxBytes);
    const mimeType = (response.headers['content-type'] ?? 'application/octet-stream').split(';')[0].trim();
    return { data, mimeType, fileName: decodeURIComponent(current.pathname.split('/').pop() ?? '') || undefined };
  }
}

function parse(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ProviderSendError(`"${url}" is not a media URL`, true);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ProviderSendError(`"${url}" is not a media URL (http or https only)`, true);
  return parsed;
}

function request(url: URL, limits: MediaFetchLimits, deadline: number, headers?: Record<string, string>): Promise<IncomingMessage> {
  const host = literalAddressOf(url);
  if (host && !limits.allowPrivate && isPrivateAddress(host)) {
    return Promise.reject(new ProviderSendError(`media URL refused: private address ${host}`, true));
  }
  const remaining = deadline - Date.now();
  if (remaining <= 0) return Promise.reject(new ProviderSendError('media fetch timed out', false));
  return new Promise((resolve, reject) => {
    const get = url.protocol === 'https:' ? httpsGet : httpGet;
    const req = get(url, { lookup: guardedLookup(limits.allowPrivate, refused), timeout: remaining, ...(headers ? { headers } : {}) }, resolve);
    const timer = setTimeout(() => req.destroy(new ProviderSendError('media fetch timed out', false)), remaining);
    req.once('close', () => clearTimeout(timer));
    req.once('timeout', () => req.destroy(new ProviderSendError('media fetch timed out', false)));
    req.once('error', reject);
  });
}

function refused(address: string): ProviderSendError {
  return new ProviderSendError(`media URL refused: private address ${address}`, true);
}

async function readBounded(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw new ProviderSendError(`media too large: ${declared} bytes (limit ${maxBytes})`, true);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      response.destroy();
      throw new ProviderSendError(`media too large: over ${maxBytes} bytes`, true);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The bytes of an outbound message's media: uploaded ones as they are, others fetched from their URL within `limits`. */
export async function outboundMediaOf(message: OutboundMessage, limits: MediaFetchLimits): Promise<FetchedMedia | undefined> {
  if ('file' in message) return { data: message.file.data, mimeType: message.file.mimeType, ...(message.fileName ? { fileName: message.fileName } : {}) };
  return 'url' in message ? fetchMedia(message.url, limits) : undefined;
}
