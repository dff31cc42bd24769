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
  /** Media by path (as in a MediaUrl), answered to GETs with the right basic auth; `redirect` sends it elsewhere first. */
  readonly media = new Map<string, { credentials: string; data?: Buffer; contentType?: string; redirect?: string }>();
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
    if (req.method === 'GET') return this.answerMedia(req, res);
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

  /** Twilio serves media only with the account's credentials, then redirects to a signed URL on its CDN. */
  private answerMedia(req: IncomingMessage, res: ServerResponse): void {
    this.calls.push({ method: 'GET', url: req.url ?? '', authorization: req.headers.authorization, form: new URLSearchParams() });
    const media = this.media.get(req.url ?? '');
    const credentials = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
    if (!media) return void res.writeHead(404).end();
    if (credentials !== media.credentials) return void res.writeHead(401).end();
    if (media.redirect) return void res.writeHead(307, { Location: media.redirect }).end();
    res.writeHead(200, { 'Content-Type': media.contentType ?? 'application/octet-stream' }).end(media.data);
  }
}
