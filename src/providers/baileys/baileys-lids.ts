import { isLidUser, jidDecode, type WAMessage } from '@whiskeysockets/baileys';
import { LRUCache } from 'lru-cache';
import type { InboundMessage, LidMapping } from '../provider-events';
import { phoneOfJid } from './baileys-jid';

/** `123:4@lid` (a device) → `123@lid` (the user): mappings are per user. */
function userLid(jid: string): string | undefined {
  const user = jidDecode(jid)?.user;
  return user && isLidUser(jid) ? `${user}@lid` : undefined;
}

/** A LID and a phone id naming one user, in either order; undefined unless both are there. */
export function mappingOf(a: string | null | undefined, b: string | null | undefined): LidMapping | undefined {
  const lid = (a && userLid(a)) || (b && userLid(b));
  const phone = phoneOfJid(a) ?? phoneOfJid(b);
  return lid && phone ? { lid, phone } : undefined;
}

/** What message keys reveal: a LID-addressed chat names the phone as its alternate id, or the other way round. */
export function mappingsOfMessages(messages: WAMessage[]): LidMapping[] {
  const found: LidMapping[] = [];
  for (const { key } of messages) {
    for (const mapping of [mappingOf(key.remoteJid, key.remoteJidAlt), mappingOf(key.participant, key.participantAlt)]) if (mapping) found.push(mapping);
  }
  return found;
}

/**
 * The phones behind LIDs for one session: learnt from WhatsApp's events and message keys (kept in memory, bounded,
 * and reported for the company's `lid_mappings`), else looked up there. Messages from a contact WhatsApp names only by
 * LID are filed under the phone when one is known.
 */
export class LidResolver {
  private readonly known = new LRUCache<string, string>({ max: 10_000 });

  constructor(private readonly lookup: (lid: string) => Promise<string | undefined>) {}

  /** Remembers mappings; answers those that were not known yet (to be stored). */
  learn(mappings: LidMapping[]): LidMapping[] {
    const fresh = mappings.filter((mapping) => this.known.get(mapping.lid) !== mapping.phone);
    for (const { lid, phone } of fresh) this.known.set(lid, phone);
    return fresh;
  }

  /** The messages filed by what is in memory, or undefined when one needs a lookup. */
  resolveKnown(messages: InboundMessage[]): InboundMessage[] | undefined {
    const resolved: InboundMessage[] = [];
    for (const message of messages) {
      const lid = lidOf(message);
      if (lid === undefined) {
        resolved.push(message);
        continue;
      }
      const phone = this.known.get(lid);
      if (phone === undefined) return undefined;
      resolved.push(withOtherParty(message, phone));
    }
    return resolved;
  }

  async resolve(messages: InboundMessage[]): Promise<InboundMessage[]> {
    const resolved: InboundMessage[] = [];
    for (const message of messages) {
      const lid = lidOf(message);
      const phone = lid ? (this.known.get(lid) ?? (await this.lookup(lid).catch(() => undefined))) : undefined;
      if (lid && phone) this.known.set(lid, phone);
      resolved.push(phone ? withOtherParty(message, phone) : message);
    }
    return resolved;
  }
}

function lidOf(message: InboundMessage): string | undefined {
  const other = message.fromMe ? message.to : message.from;
  return other.endsWith('@lid') ? other : undefined;
}

function withOtherParty(message: InboundMessage, phone: string): InboundMessage {
  return message.fromMe ? { ...message, to: phone } : { ...message, from: phone };
}
