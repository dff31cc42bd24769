import type { Client } from 'whatsapp-web.js';
import type { ContactProfile, NumberCheck } from '../provider.port';
import { chatIdFor } from './whatsapp-web-outbound.sender';

/** Read receipts, typing and contact lookups through whatsapp-web.js; callers cache and rate-limit lookups. */
export const whatsappWebChatOps = {
  async markRead(client: Client, to: string): Promise<void> {
    await client.sendSeen(await chatIdFor(client, to));
  },

  async sendTyping(client: Client, to: string, typing: boolean): Promise<void> {
    const chat = await client.getChatById(await chatIdFor(client, to));
    await (typing ? chat.sendStateTyping() : chat.clearState());
  },

  async checkNumbers(client: Client, phones: string[]): Promise<NumberCheck[]> {
    const checks: NumberCheck[] = [];
    for (const phone of phones) {
      const id = await client.getNumberId(phone.replace(/\D/g, ''));
      if (!id) {
        checks.push({ phone, exists: false });
        continue;
      }
      const check: NumberCheck = { phone, exists: true, jid: id._serialized };
      const [ids] = await client.getContactLidAndPhone([id._serialized]).catch(() => []);
      if (ids?.lid) check.lid = ids.lid;
      checks.push(check);
    }
    return checks;
  },

  async profile(client: Client, phone: string): Promise<ContactProfile> {
    const chatId = await chatIdFor(client, phone);
    const contact = await client.getContactById(chatId);
    const pictureUrl = await client.getProfilePicUrl(chatId).catch(() => undefined);
    const name = contact.pushname || contact.name;
    return { ...(name ? { name } : {}), ...(pictureUrl ? { pictureUrl } : {}) };
  },
};
