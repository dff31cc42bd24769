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

/** The canonical E.164 of a number (the same for `+5215512345678` and `+525512345678`), to match answers to questions. */
export type Canonical = (phone: string) => string;

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
    await this.take(1);
    const [found] = (await socket.onWhatsApp(digits)) ?? [];
    if (!found?.exists) {
      this.cache.set(digits, false);
      throw new ProviderSendError(`${to} is not on WhatsApp`, true);
    }
    this.cache.set(digits, found.jid);
    return found.jid;
  }

  /**
   * Whether each number (E.164) has WhatsApp, and its id: from the cache, else asked in one query, within the same
   * per-session budget as sends' lookups (all or nothing: a batch over the budget asks nothing). Answers are matched to
   * questions by canonical number, since WhatsApp may answer with another spelling (a Mexican mobile's legacy 1).
   */
  async check(socket: NumberLookup, phones: string[], canonical: Canonical): Promise<Array<{ phone: string; exists: boolean; jid?: string }>> {
    const unknown = [...new Set(phones.filter((phone) => this.cache.get(digitsOf(phone)) === undefined))];
    if (unknown.length > 0) {
      await this.take(unknown.length);
      const answers = (await socket.onWhatsApp(...unknown.map(digitsOf))) ?? [];
      const byNumber = new Map(answers.filter((a) => a.exists).map((a) => [canonical(`+${a.jid.split('@')[0].split(':')[0]}`), a.jid]));
      for (const phone of unknown) this.cache.set(digitsOf(phone), byNumber.get(canonical(phone)) ?? false);
    }
    return phones.map((phone) => {
      const jid = this.cache.get(digitsOf(phone));
      return jid ? { phone, exists: true, jid } : { phone, exists: false };
    });
  }

  private async take(points: number): Promise<void> {
    try {
      await this.limiter.consume(this.session, points);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw new ProviderSendError('recipient lookups rate-limited for this session', false);
      throw rejection;
    }
  }
}
