import type { Client, Message } from 'whatsapp-web.js';

export interface HistoryLimits {
  maxChats: number;
  maxMessagesPerChat: number;
}

const NOT_A_PERSON = /@(g\.us|broadcast|newsletter)$/;

/**
 * Replays recent one-to-one history after a link, within fixed limits: the most recently active
 * `maxChats` chats, `maxMessagesPerChat` messages each, one chat at a time. Ingest deduplicates by
 * message id, so replaying on every start is safe. Returns the number of messages delivered.
 */
export async function importRecentHistory(
  client: Client,
  limits: HistoryLimits,
  deliver: (message: Message) => Promise<void>,
  cancelled: () => boolean,
): Promise<number> {
  if (limits.maxChats === 0 || limits.maxMessagesPerChat === 0) return 0;
  const chats = (await client.getChats())
    .filter((chat) => !chat.isGroup && !NOT_A_PERSON.test(chat.id._serialized))
    .sort((a, b) => b.timestamp - a.timestamp)
    .slice(0, limits.maxChats);
  let delivered = 0;
  for (const chat of chats) {
    if (cancelled()) break;
    // No `fromMe` filter here: wwebjs applies it while paging back, so a chat with few inbound messages would load its whole history.
    const messages = await chat.fetchMessages({ limit: limits.maxMessagesPerChat });
    for (const message of messages) {
      if (cancelled()) break;
      await deliver(message);
      delivered++;
    }
  }
  return delivered;
}
