import type { makeWASocket } from '@whiskeysockets/baileys';
import { toE164 } from '../../prospects/phone-number';
import type { ChatReadRequest, ContactProfile, NumberCheck } from '../provider.port';
import { jidForRecipient } from './baileys-jid';
import type { BaileysRecipients } from './baileys-recipients';

type Socket = ReturnType<typeof makeWASocket>;

/** Read receipts, typing and contact lookups on a Baileys socket; lookups share the session's recipient cache and budget. */
export const baileysChatOps = {
  /** Read receipts for the customer's messages, keyed by the id WhatsApp wrote from (digit for digit, or its LID). */
  async markRead(socket: Socket, { messages }: ChatReadRequest): Promise<void> {
    await socket.readMessages(messages.map(({ providerMessageId, from }) => ({ remoteJid: jidForRecipient(from), id: providerMessageId, fromMe: false })));
  },

  async sendTyping(socket: Socket, recipients: BaileysRecipients, to: string, typing: boolean): Promise<void> {
    await socket.sendPresenceUpdate(typing ? 'composing' : 'paused', await recipients.resolve(socket, to));
  },

  async checkNumbers(socket: Socket, recipients: BaileysRecipients, phones: string[]): Promise<NumberCheck[]> {
    const checks: NumberCheck[] = await recipients.check(socket, phones, canonicalPhone);
    for (const check of checks) {
      if (!check.jid) continue;
      const lid = await socket.signalRepository.lidMapping.getLIDForPN(check.jid).catch(() => null);
      if (lid) check.lid = lid;
    }
    return checks;
  },

  /** Baileys reads no one's profile name; the picture WhatsApp shows this account, if any. */
  async profile(socket: Socket, recipients: BaileysRecipients, phone: string): Promise<ContactProfile> {
    const pictureUrl = await socket.profilePictureUrl(await recipients.resolve(socket, phone), 'image').catch(() => undefined);
    return pictureUrl ? { pictureUrl } : {};
  },
};

/** Numbers given to checks carry their country code; any region parses them. */
function canonicalPhone(phone: string): string {
  const parsed = toE164(phone, 'US');
  return parsed.ok ? parsed.e164 : phone;
}
