import { isLidUser, isPnUser } from '@whiskeysockets/baileys';
import { LRUCache } from 'lru-cache';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ProviderSendError } from '../provider-send.error';
import { digitsOf } from './baileys-jid';

const DAY_MS = 86_400_000;

/** The part of a Baileys socket that looks numbers up. */
export interface NumberLookup {
  onWhatsApp(...phoneNumbers: string[]): Promise<Array<{ jid: string; exists: boolean }> | undefined>;
}

/**
 * Resolves a recipient to the id WhatsApp knows it by (a Mexican mobile keeps its legacy 1, for one), as
 * whatsapp-web.js does with getNumberId: asks WhatsApp (onWhatsApp), caches the answer for a day, and
 * rate-limits the lookups of one session. A number not on WhatsApp is a permanent failure.
 */
export class BaileysRecipients {
  private readonly cache = new LRUCache<string, string | false>({ max: 5_000, ttl: DAY_MS });
  private readonly limiter: RateLimiterMemory;

  constructor(
    private readonly session: string,
    lookupsPerMinute: number,
  ) {
    this.limiter = new RateLimiterMemory({ keyPrefix: 'wa-lookup', points: lookupsPerMinute, duration: 60 });
  }

  async resolve(socket: NumberLookup, to: string): Promise<string> {
    if (isPnUser(to) || isLidUser(to)) return to;
    const digits = digitsOf(to);
    const cached = this.cache.get(digits);
    if (cached === false) throw new ProviderSendError(`${to} is not on WhatsApp`, true);
    if (cached) return cached;
    try {
      await this.limiter.consume(this.session);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw new ProviderSendError('recipient lookups rate-limited for this session', false);
      throw rejection;
    }
    const [found] = (await socket.onWhatsApp(digits)) ?? [];
    if (!found?.exists) {
      this.cache.set(digits, false);
      throw new ProviderSendError(`${to} is not on WhatsApp`, true);
    }
    this.cache.set(digits, found.jid);
    return found.jid;
  }
}
