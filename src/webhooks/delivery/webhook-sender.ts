import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { guardedLookup, isPrivateAddress, literalAddressOf } from '../../core/net/private-address';

export interface SenderLimits {
  timeoutMs: number;
  /** Response body bytes read at most; the rest is not read (the connection is dropped). */
  maxResponseBytes: number;
  allowPrivate: boolean;
  httpsOnly: boolean;
}

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
}

export interface SendResult {
  /** A 2xx answer. */
  ok: boolean;
  status?: number;
  error?: string;
  /** Stopped by the caller (shutdown) before an answer: not a try. */
  aborted?: boolean;
  durationMs: number;
}

const MAX_ERROR = 300;

class TargetRefused extends Error {}

/**
 * POSTs one signed webhook: success is a 2xx answer, redirects are not followed, the whole exchange has
 * a deadline, the response body is read up to a cap and otherwise dropped. Every address connected to is
 * checked at connect time (private ones refused unless allowed). Never throws: the outcome says what happened.
 */
export class WebhookSender {
  private readonly agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 256 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 256 }) };
  private readonly lookup;

  constructor(private readonly limits: SenderLimits) {
    this.lookup = guardedLookup(limits.allowPrivate, (address) => new TargetRefused(`private address ${address} refused`));
  }

  send(target: WebhookRequest, signal?: AbortSignal): Promise<SendResult> {
    const started = Date.now();
    const refused = this.refusal(target.url);
    if (refused) return Promise.resolve({ ok: false, error: refused, durationMs: 0 });
    const url = new URL(target.url);
    return new Promise((resolve) => {
      let status: number | undefined;
      let settled = false;
      const finish = (result: Omit<SendResult, 'durationMs'>, complete = false) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        // A complete exchange leaves its keep-alive connection to the agent; anything else drops it.
        if (!complete) request.destroy();
        resolve({ ...result, durationMs: Date.now() - started });
      };
      const answered = (complete = false) =>
        finish(status !== undefined && status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, error: describeStatus(status) }, complete);
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(
        url,
        {
          method: 'POST',
          headers: { ...target.headers, 'content-length': String(Buffer.byteLength(target.body)) },
          agent: url.protocol === 'https:' ? this.agents.https : this.agents.http,
          lookup: this.lookup,
        },
        (response: IncomingMessage) => {
          status = response.statusCode;
          let read = 0;
          response.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > this.limits.maxResponseBytes) answered();
          });
          response.once('end', () => answered(true));
          response.once('error', () => answered());
          response.once('aborted', () => answered());
        },
      );
      // Once the status is known, a slow or broken body does not change the outcome.
      const timer = setTimeout(
        () => (status === undefined ? finish({ ok: false, error: `no answer within ${this.limits.timeoutMs} ms` }) : answered()),
        this.limits.timeoutMs,
      );
      const onAbort = () => finish({ ok: false, aborted: true, error: 'aborted' });
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      request.once('error', (error: Error) => (status === undefined ? finish({ ok: false, error: error.message.slice(0, MAX_ERROR) }) : answered()));
      request.end(target.body);
    });
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private refusal(raw: string): string | undefined {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return 'not a URL';
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'only http and https URLs are called';
    if (this.limits.httpsOnly && url.protocol !== 'https:') return 'only https URLs are called in production';
    const literal = literalAddressOf(url);
    if (literal && !this.limits.allowPrivate && isPrivateAddress(literal)) return `private address ${literal} refused`;
    return undefined;
  }
}

function describeStatus(status: number | undefined): string {
  if (status === undefined) return 'no status';
  return status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}`;
}
