import { setTimeout as sleep } from 'node:timers/promises';
import { LRUCache } from 'lru-cache';
import type { Client, Message } from 'whatsapp-web.js';
import { ProviderSendError } from '../provider-send.error';
import type { DownloadedMedia, MediaDownloadLimits, MediaDownloadRequest } from '../provider.port';

/**
 * Inbound media of a whatsapp-web.js session: the bytes stay in the page, so they are fetched through the live
 * client soon after the message is stored. Recent media messages are kept (bounded) so the download needs no
 * lookup in the page; older ones are looked up by id.
 */
export class WhatsappWebMedia {
  private readonly recent = new LRUCache<string, Message>({ max: 200 });

  remember(message: Message): void {
    if (message.hasMedia) this.recent.set(message.id._serialized, message);
  }

  async download(client: Client, request: MediaDownloadRequest, limits: MediaDownloadLimits): Promise<DownloadedMedia> {
    const message = this.recent.get(request.providerMessageId) ?? (await client.getMessageById(request.providerMessageId));
    if (!message) throw new ProviderSendError('message no longer in WhatsApp Web', true);
    const abort = new AbortController();
    const expired = sleep(limits.timeoutMs, undefined, { signal: abort.signal }).then(
      () => Promise.reject(new ProviderSendError('media download timed out', false)),
      () => undefined,
    );
    try {
      const media = await Promise.race([message.downloadMedia(), expired]);
      if (!media?.data) throw new ProviderSendError('media no longer available on the phone', true);
      const data = Buffer.from(media.data, 'base64');
      if (data.length > limits.maxBytes) throw new ProviderSendError(`media too large: ${data.length} bytes (limit ${limits.maxBytes})`, true);
      this.recent.delete(request.providerMessageId);
      return { data, mimeType: media.mimetype };
    } finally {
      abort.abort();
    }
  }
}
