import { MessageMedia, type Client } from 'whatsapp-web.js';
import type { OutboundMessage, SendResult } from '../provider.port';

const MEDIA_FETCH_TIMEOUT_MS = 30_000;
/** WhatsApp's limit for images, audio and video; larger downloads are refused before they fill memory. */
const MAX_MEDIA_BYTES = 16 * 1024 * 1024;

export async function sendOutbound(client: Client, message: OutboundMessage): Promise<SendResult> {
  const chatId = await chatIdFor(client, message.to);
  const sent =
    'text' in message
      ? await client.sendMessage(chatId, message.text)
      : await client.sendMessage(chatId, await mediaFrom(message.mediaUrl), { caption: message.caption });
  return { providerMessageId: sent.id._serialized };
}

/** WhatsApp's id for a number can differ from its E.164 digits (Mexican mobiles keep a legacy 1), so ask it. */
async function chatIdFor(client: Client, to: string): Promise<string> {
  const id = await client.getNumberId(to.replace(/\D/g, ''));
  if (!id) throw new Error(`${to} is not on WhatsApp`);
  return id._serialized;
}

function mediaFrom(url: string): Promise<MessageMedia> {
  return MessageMedia.fromUrl(url, { unsafeMime: true, reqOptions: { size: MAX_MEDIA_BYTES, timeout: MEDIA_FETCH_TIMEOUT_MS } });
}
