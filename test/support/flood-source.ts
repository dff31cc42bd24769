import type { SimulatedMessage, SimulatedWhatsapp } from './simulated-whatsapp';

export interface FloodStats {
  sent: Set<string>;
  acknowledged: Set<string>;
  /** When each message was first acknowledged as newly stored (ms since epoch). */
  storedAt: number[];
  refusals: number;
}

/**
 * A WhatsApp-like source that keeps offering new messages to one session, a chunk at a time, and
 * redelivers whatever was not acknowledged. `stopOffering` ends new messages; `drain` then redelivers
 * until everything offered is acknowledged.
 */
export class FloodSource {
  readonly stats: FloodStats = { sent: new Set(), acknowledged: new Set(), storedAt: [], refusals: 0 };
  private offering = true;
  private sequence = 0;
  private unacknowledged: SimulatedMessage[] = [];
  private loop?: Promise<void>;

  constructor(
    private readonly whatsapp: SimulatedWhatsapp,
    private readonly company: string,
    private readonly session: string,
    private readonly senders: string[],
    private readonly chunk = 5,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  /** Stops offering new messages and redelivers until all offered ones are acknowledged. */
  async drain(): Promise<void> {
    this.offering = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.offering || this.unacknowledged.length > 0) {
      const batch = this.unacknowledged.splice(0, this.chunk);
      while (this.offering && batch.length < this.chunk) batch.push(this.next());
      if (batch.length === 0) continue;
      const report = { acknowledged: [] as string[], refusals: 0 };
      const { status, retryAfterMs } = await this.whatsapp.deliverOnce(this.company, this.session, batch, report);
      const at = Date.now();
      for (const id of report.acknowledged) {
        if (!this.stats.acknowledged.has(id)) this.stats.storedAt.push(at);
        this.stats.acknowledged.add(id);
      }
      this.stats.refusals += report.refusals;
      if (status !== 200) {
        this.unacknowledged.push(...batch);
        // WhatsApp redelivers after the time asked for; kept short here so the test sees intake resume promptly.
        await new Promise((resolve) => setTimeout(resolve, Math.min(retryAfterMs, 100)));
      }
    }
  }

  private next(): SimulatedMessage {
    const n = this.sequence++;
    const message = {
      providerMessageId: `${this.company}.${this.session}.${n}`,
      from: this.senders[n % this.senders.length],
      text: `message ${n}`,
      senderName: `Sender ${n % this.senders.length}`,
    };
    this.stats.sent.add(message.providerMessageId);
    return message;
  }
}
