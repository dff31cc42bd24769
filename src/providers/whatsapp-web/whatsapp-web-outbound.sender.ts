import { Location, MessageMedia, type Client, type MessageSendOptions } from 'whatsapp-web.js';
import { outboundMediaOf, type MediaFetchLimits } from '../media-fetch';
import { ProviderSendError } from '../provider-send.error';
import type { OutboundMediaFields, OutboundMessage, SendResult } from '../provider.port';
import { vcardOf } from '../vcard';

/**
 * Sends each kind through whatsapp-web.js. `sendSeen: false` always: sending never marks the chat read (that is
 * `markRead`, asked for explicitly). Media is fetched by us; a voice note goes as one (`sendAudioAsVoice`), a sticker
 * as a sticker, a document as a document. A reaction has no message id of its own in whatsapp-web.js.
 */
export async function sendOutbound(client: Client, message: OutboundMessage, media: MediaFetchLimits): Promise<SendResult> {
  const chatId = await chatIdFor(client, message.to);
  const options: MessageSendOptions = { sendSeen: false, ...(message.replyTo ? { quotedMessageId: message.replyTo.providerMessageId } : {}) };
  switch (message.kind) {
    case 'text':
      return idOf(await client.sendMessage(chatId, message.text, options));
    case 'location':
      return idOf(
        await client.sendMessage(chatId, new Location(message.latitude, message.longitude, { name: message.name, address: message.address }), options),
      );
    case 'contact':
      return idOf(await client.sendMessage(chatId, vcardOf(message.name, message.phone), { ...options, parseVCards: true }));
    case 'reaction': {
      const target = await client.getMessageById(message.target.providerMessageId);
      if (!target) throw new ProviderSendError('the message to react to is no longer in WhatsApp Web', true);
      await target.react(message.emoji);
      return { providerMessageId: `reaction:${message.target.providerMessageId}:${Date.now()}` };
    }
    case 'template':
      throw new ProviderSendError('whatsapp-web cannot send Twilio templates', true);
    default: {
      const file = await mediaFrom(message, media);
      return idOf(
        await client.sendMessage(chatId, file, {
          ...options,
          caption: message.caption,
          sendAudioAsVoice: message.kind === 'voice',
          sendMediaAsSticker: message.kind === 'sticker',
          sendMediaAsDocument: message.kind === 'document',
        }),
      );
    }
  }
}

function idOf(sent: { id: { _serialized: string } }): SendResult {
  return { providerMessageId: sent.id._serialized };
}

/** WhatsApp's id for a number can differ from its E.164 digits (Mexican mobiles keep a legacy 1), so ask it. */
export async function chatIdFor(client: Client, to: string): Promise<string> {
  if (to.endsWith('@lid') || to.endsWith('@c.us')) return to;
  const id = await client.getNumberId(to.replace(/\D/g, ''));
  if (!id) throw new ProviderSendError(`${to} is not on WhatsApp`, true);
  return id._serialized;
}

/** Fetched by us (bounded in size and time, no private addresses), not by whatsapp-web.js. */
async function mediaFrom(message: OutboundMessage & OutboundMediaFields, limits: MediaFetchLimits): Promise<MessageMedia> {
  const fetched = (await outboundMediaOf(message, limits))!;
  const { fileName, mimeType } = message;
  return new MessageMedia(mimeType ?? fetched.mimeType, fetched.data.toString('base64'), fileName ?? fetched.fileName ?? null, fetched.data.length);
}
