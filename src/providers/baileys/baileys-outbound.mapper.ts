import type { AnyMessageContent, WAMessage, proto } from '@whiskeysockets/baileys';
import type { StoredMessage } from '../../conversations/message';
import type { FetchedMedia } from '../media-fetch';
import { ProviderSendError } from '../provider-send.error';
import type { MessageRef, OutboundMessage } from '../provider.port';
import { vcardOf } from '../vcard';

/** WhatsApp plays a voice note only as Opus in Ogg, labelled exactly so. */
export const VOICE_NOTE_MIME_TYPE = 'audio/ogg; codecs=opus';

/**
 * The Baileys content for each kind, with the media bytes we fetched ourselves (bounded and checked), so Baileys
 * fetches nothing: video, audio and documents keep their kind (an mp4 is a video, not a document); a voice note is
 * `audio` with `ptt`; a reaction names the message it reacts to by its key in this chat (`jid`).
 */
export function outboundContentOf(message: OutboundMessage, jid: string, fetched?: FetchedMedia): AnyMessageContent {
  switch (message.kind) {
    case 'text':
      return { text: message.text };
    case 'location':
      return { location: { degreesLatitude: message.latitude, degreesLongitude: message.longitude, name: message.name, address: message.address } };
    case 'contact':
      return { contacts: { displayName: message.name, contacts: [{ displayName: message.name, vcard: vcardOf(message.name, message.phone) }] } };
    case 'reaction':
      return { react: { text: message.emoji, key: keyOf(message.target, jid) } };
    case 'template':
      throw new ProviderSendError('baileys cannot send Twilio templates', true);
    default: {
      if (!fetched) throw new Error(`${message.kind} needs its media fetched first`);
      const { data } = fetched;
      const mimeType = message.mimeType ?? fetched.mimeType;
      switch (message.kind) {
        case 'image':
          return { image: data, caption: message.caption, mimetype: mimeType };
        case 'video':
          return { video: data, caption: message.caption, mimetype: mimeType };
        case 'audio':
          return { audio: data, mimetype: mimeType };
        case 'voice':
          return { audio: data, ptt: true, mimetype: VOICE_NOTE_MIME_TYPE };
        case 'sticker':
          return { sticker: data, mimetype: 'image/webp' };
        case 'document':
          return { document: data, mimetype: mimeType, fileName: message.fileName ?? fetched.fileName ?? 'file', caption: message.caption };
      }
    }
  }
}

/** The stored message a reply quotes, as Baileys needs it: its key in this chat and its text. */
export function quotedOf(ref: MessageRef, jid: string): WAMessage {
  return { key: keyOf(ref, jid), message: { conversation: ref.text ?? '' } } as WAMessage;
}

function keyOf(ref: MessageRef, jid: string): proto.IMessageKey {
  return { remoteJid: jid, fromMe: ref.fromMe, id: ref.providerMessageId };
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
