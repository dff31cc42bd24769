import type { InboundMessage, LidMapping, ProviderEvent } from '../provider-events';
import { LidResolver } from './baileys-lids';
import type { ReadGate } from './baileys-read-gate';

/**
 * A session's inbound path to ingest: messages handed over in order (never dropped), filed under the phone behind a
 * LID when one is known, and LID↔phone pairs reported the first time they are seen.
 */
export class InboundDelivery {
  private readonly lids: LidResolver;
  private resolved: Promise<void> = Promise.resolve();
  private resolving = 0;

  /** `emit` never rejects (the client's guarded emit). */
  constructor(
    phoneOfLid: (lid: string) => Promise<string | undefined>,
    private readonly emit: (event: ProviderEvent) => Promise<void>,
  ) {
    this.lids = new LidResolver(phoneOfLid);
  }

  learnIds(mappings: LidMapping[]): void {
    const fresh = this.lids.learn(mappings);
    if (fresh.length > 0) void this.emit({ type: 'contact-ids', mappings: fresh });
  }

  /**
   * Hands every message to ingest in order (never dropped), filed under the phone behind a LID when one is known; at
   * once unless a LID must be looked up first (then it, and what follows, waits for it). Reading waits while ingest
   * has not taken them.
   */
  deliver(gate: ReadGate, messages: InboundMessage[]): void {
    if (messages.length === 0) return;
    const known = this.resolving === 0 ? this.lids.resolveKnown(messages) : undefined;
    if (known) {
      const taken = known.map((message) => this.emit({ type: 'message', message }));
      return gate.hold(taken.length === 1 ? taken[0] : Promise.all(taken));
    }
    this.resolving++;
    const done = this.resolved
      .then(async () => {
        const resolved = await this.lids.resolve(messages);
        await Promise.all(resolved.map((message) => this.emit({ type: 'message', message })));
      })
      .finally(() => this.resolving--);
    this.resolved = done.catch(() => undefined);
    gate.hold(done);
  }
}
