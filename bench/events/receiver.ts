import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Webhook } from 'standardwebhooks';

export interface Arrival {
  webhookId: string;
  providerMessageId?: string;
  atMs: number;
}

/**
 * A company's system receiving our webhooks on 127.0.0.1, as the README tells one to: every delivery's
 * signature is verified with the Standard Webhooks library before it is accepted. While `down`, it answers
 * 503 at once (a receiver that is up but failing), so deliveries back up in the service.
 */
export class WebhookReceiver {
  readonly arrivals: Arrival[] = [];
  readonly ids = new Set<string>();
  invalidSignatures = 0;
  duplicates = 0;
  down = false;
  private readonly verifiers = new Map<string, Webhook>();
  private server?: Server;

  /** The secret each company's endpoint signs with, keyed by the company in the path. */
  trust(company: string, secret: string): void {
    this.verifiers.set(company, new Webhook(secret));
  }

  async listen(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((ready) => this.server!.listen(0, '127.0.0.1', ready));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((done) => this.server?.close(done));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (this.down) {
        res.writeHead(503).end();
        return;
      }
      const company = (req.url ?? '').split('/')[1] ?? '';
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        const event = this.verifiers.get(company)!.verify(body, req.headers as Record<string, string>) as { data?: { providerMessageId?: string } };
        const webhookId = String(req.headers['webhook-id']);
        if (this.ids.has(webhookId)) this.duplicates++;
        else {
          this.ids.add(webhookId);
          this.arrivals.push({ webhookId, providerMessageId: event.data?.providerMessageId, atMs: performance.now() });
        }
        res.writeHead(204).end();
      } catch {
        this.invalidSignatures++;
        res.writeHead(400).end();
      }
    });
  }
}
