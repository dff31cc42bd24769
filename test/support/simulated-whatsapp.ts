import request from 'supertest';

export interface SimulatedMessage {
  providerMessageId: string;
  from: string;
  text?: string;
  senderName?: string;
}

export interface DeliveryReport {
  /** Messages the service acknowledged as durable (stored, or already stored). */
  acknowledged: string[];
  /** 503 answers seen: the service asked for a redelivery. */
  refusals: number;
}

/**
 * Plays WhatsApp's side of the simulator: delivers messages to a session and, like WhatsApp, keeps
 * redelivering what was not acknowledged, after the Retry-After the service asked for.
 */
export class SimulatedWhatsapp {
  constructor(
    private readonly url: string,
    private readonly adminKey: string,
  ) {}

  /** One delivery attempt; the acknowledged ids, or none when it was refused or failed. */
  async deliverOnce(
    company: string,
    session: string,
    messages: SimulatedMessage[],
    report?: DeliveryReport,
  ): Promise<{ status: number; retryAfterMs: number }> {
    const response = await request(this.url)
      .post(`/simulator/companies/${company}/sessions/${session}/inbound`)
      .set('X-API-Key', this.adminKey)
      .send({ messages })
      .then(
        (r) => r,
        () => undefined,
      );
    if (!response) return { status: 0, retryAfterMs: 200 };
    if (response.status === 200 && report) {
      for (const outcome of response.body.results as Array<{ providerMessageId: string; result: string }>) {
        if (outcome.result === 'stored' || outcome.result === 'duplicate') report.acknowledged.push(outcome.providerMessageId);
      }
    }
    if (response.status === 503 && report) report.refusals++;
    return { status: response.status, retryAfterMs: Number(response.headers['retry-after'] ?? 1) * 1000 };
  }

  /** Delivers until every message is acknowledged, or until `deadline`. */
  async deliver(company: string, session: string, messages: SimulatedMessage[], report: DeliveryReport, deadline = Date.now() + 120_000): Promise<void> {
    while (Date.now() < deadline) {
      const { status, retryAfterMs } = await this.deliverOnce(company, session, messages, report);
      if (status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(retryAfterMs, 1_000)));
    }
    throw new Error(`messages for ${company}/${session} not acknowledged before the deadline`);
  }
}
