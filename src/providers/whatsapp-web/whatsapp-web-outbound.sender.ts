import { MessageMedia, type Client } from 'whatsapp-web.js';
import { fetchMedia, type MediaFetchLimits } from '../media-fetch';
import { ProviderSendError } from '../provider-send.error';
import type { OutboundMessage, SendResult } from '../provider.port';

export async function sendOutbound(client: Client, message: OutboundMessage, media: MediaFetchLimits): Promise<SendResult> {
  const chatId = await chatIdFor(client, message.to);
  const sent =
    'text' in message
      ? await client.sendMessage(chatId, message.text)
      : await client.sendMessage(chatId, await mediaFrom(message.mediaUrl, media), { caption: message.caption });
  return { providerMessageId: sent.id._serialized };
}

/** WhatsApp's id for a number can differ from its E.164 digits (Mexican mobiles keep a legacy 1), so ask it. */
async function chatIdFor(client: Client, to: string): Promise<string> {
  const id = await client.getNumberId(to.replace(/\D/g, ''));
  if (!id) throw new ProviderSendError(`${to} is not on WhatsApp`, true);
  return id._serialized;
}

/** Fetched by us (bounded in size and time, no private addresses), not by whatsapp-web.js. */
async function mediaFrom(url: string, limits: MediaFetchLimits): Promise<MessageMedia> {
  const { data, mimeType, fileName } = await fetchMedia(url, limits);
  return new MessageMedia(mimeType, data.toString('base64'), fileName ?? null, data.length);
}
