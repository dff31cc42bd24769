import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TwilioApiCall {
  method: string;
  url: string;
  authorization: string | undefined;
  form: URLSearchParams;
}

/** Stands in for api.twilio.com: records what the SDK sent, answers like the Messages API. */
export class FakeTwilioApi {
  readonly calls: TwilioApiCall[] = [];
  failNext?: { status: number; code: number; message: string };
  private readonly server: Server = createServer((req, res) => void this.answer(req, res));
  private sids = 0;

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    const form = new URLSearchParams(raw);
    this.calls.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, form });
    const failure = this.failNext;
    this.failNext = undefined;
    res.setHeader('Content-Type', 'application/json');
    if (failure) {
      res.writeHead(failure.status).end(JSON.stringify({ code: failure.code, message: failure.message, status: failure.status }));
      return;
    }
    const sid = `SM${String((this.sids += 1)).padStart(32, '0')}`;
    const now = new Date().toUTCString().replace('GMT', '+0000');
    res.writeHead(201).end(
      JSON.stringify({
        sid,
        account_sid: req.url?.split('/')[3],
        from: form.get('From'),
        to: form.get('To'),
        body: form.get('Body') ?? '',
        status: 'queued',
        num_media: String(form.getAll('MediaUrl').length),
        direction: 'outbound-api',
        api_version: '2010-04-01',
        date_created: now,
        date_updated: now,
      }),
    );
  }
}
