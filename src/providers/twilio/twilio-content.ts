import type { MessageListInstanceCreateOptions } from 'twilio/lib/rest/api/v2010/account/message';
import { ProviderSendError } from '../provider-send.error';
import type { OutboundMessage } from '../provider.port';

type TwilioContent = Pick<MessageListInstanceCreateOptions, 'body' | 'mediaUrl' | 'persistentAction' | 'contentSid' | 'contentVariables'>;

/**
 * The Messages API fields for each kind Twilio can send: text as Body; media as MediaUrl (Twilio fetches it) with
 * the caption as Body; a location as a `geo:` persistent action; a template as ContentSid + ContentVariables (JSON).
 * The API refuses the other kinds before queueing them (capabilities); one reaching here is a permanent failure.
 */
export function twilioContentOf(message: OutboundMessage): TwilioContent {
  if (message.replyTo) throw new ProviderSendError('twilio cannot quote messages', true);
  switch (message.kind) {
    case 'text':
      return { body: message.text };
    case 'image':
    case 'video':
    case 'audio':
    case 'voice':
    case 'document':
      if (!('url' in message)) throw new ProviderSendError('twilio fetches media from a URL; it cannot send uploaded files', true);
      return { mediaUrl: [message.url], ...(message.caption ? { body: message.caption } : {}) };
    case 'location': {
      const label = message.name ?? message.address;
      return {
        persistentAction: [`geo:${message.latitude},${message.longitude}${label ? `|${label}` : ''}`],
        body: message.address ?? message.name ?? `${message.latitude},${message.longitude}`,
      };
    }
    case 'template':
      return { contentSid: message.contentSid, ...(message.variables ? { contentVariables: JSON.stringify(message.variables) } : {}) };
    default:
      throw new ProviderSendError(`twilio cannot send ${message.kind} messages`, true);
  }
}
