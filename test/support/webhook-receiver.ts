import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { LoggedEvent } from '../../src/events/event-types';

export interface ReceivedDelivery {
  /** The `webhook-id` header. */
  id: string;
  event: LoggedEvent;
  /** Which of `secrets` verified the signature (indexes); empty: none did. */
  verifiedWith: number[];
  status: number;
  at: number;
}

/**
 * A customer's webhook endpoint on 127.0.0.1: checks every delivery's signature with the Standard Webhooks
 * library against the secrets it knows, records it, and answers what `answer` says (200 by default; 401
 * for a delivery no known secret verifies). It can be taken down and brought back on the same port.
 */
export class WebhookReceiver {
  readonly deliveries: ReceivedDelivery[] = [];
  secrets: string[] = [];
  answer: (event: LoggedEvent) => number = () => 200;
  private server?: Server;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  /** Deliveries answered 2xx. */
  get accepted(): ReceivedDelivery[] {
    return this.deliveries.filter((delivery) => delivery.status >= 200 && delivery.status < 300);
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        const headers = request.headers as Record<string, string>;
        const verifiedWith = this.secrets.flatMap((secret, index) => {
          try {
            new Webhook(secret).verify(body, headers);
            return [index];
          } catch {
            return [];
          }
        });
        const event = JSON.parse(body) as LoggedEvent;
        const status = verifiedWith.length === 0 ? 401 : this.answer(event);
        this.deliveries.push({ id: headers['webhook-id'], event, verifiedWith, status, at: Date.now() });
        response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Down: connections refused until `start` again (same port). */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  /** Deliveries of events matching `predicate`, in arrival order. */
  of(predicate: (event: LoggedEvent) => boolean): ReceivedDelivery[] {
    return this.deliveries.filter((delivery) => predicate(delivery.event));
  }
}
