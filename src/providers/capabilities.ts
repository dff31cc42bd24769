import type { Capability } from './provider.port';

/**
 * What each provider can send and do. Twilio's WhatsApp API sends text, media by URL, locations (as a persistent
 * action) and Content templates, but no stickers, contact cards, quotes or reactions, and has no read receipts,
 * typing indicators or number checks through the Messages API; it fetches media from a public URL itself, so it cannot
 * send uploaded files. Templates exist only on Twilio.
 */
const WHATSAPP: Capability[] = [
  'text',
  'image',
  'video',
  'audio',
  'voice',
  'document',
  'sticker',
  'location',
  'contact',
  'reaction',
  'reply',
  'upload',
  'read',
  'typing',
  'contacts',
];

export const BAILEYS_CAPABILITIES: ReadonlySet<Capability> = new Set(WHATSAPP);
export const WHATSAPP_WEB_CAPABILITIES: ReadonlySet<Capability> = new Set(WHATSAPP);
export const TWILIO_CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>([
  'text',
  'image',
  'video',
  'audio',
  'voice',
  'document',
  'location',
  'template',
]);
/** The simulator does everything, and records what it was asked. */
export const SIMULATOR_CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>([...WHATSAPP, 'template']);
