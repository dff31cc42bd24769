import { io, type Socket } from 'socket.io-client';
import { Api, companyPath } from './api';
import type { LoggedEvent } from './types';

export type LiveMode = 'connecting' | 'live' | 'polling';

const TYPES = ['message.received', 'session.status', 'session.qr'];
const POLL_MS = 5_000;
const PAGE = 1_000;
/** A stream that has not connected by then is not waited for: polling starts (socket.io-client's default is 20 s). */
const CONNECT_TIMEOUT_MS = 5_000;

interface FeedOptions {
  api: Api;
  company: string;
  admin: boolean;
  livePath: string;
  onEvent: (event: LoggedEvent) => void;
  onMode: (mode: LiveMode) => void;
}

/**
 * A company's events as they happen: the live stream (Socket.IO) while it is connected, otherwise the
 * replay API polled from the last cursor seen, so nothing is missed while the socket is away.
 */
export class LiveFeed {
  private socket?: Socket;
  private cursor = 0;
  private pollTimer?: number;
  private polling = false;
  private stopped = false;

  constructor(private readonly options: FeedOptions) {}

  start(): void {
    const { api, company, admin, livePath } = this.options;
    this.options.onMode('connecting');
    const auth: Record<string, unknown> = { apiKey: api.key, types: TYPES };
    if (admin) auth.companies = [company];
    this.socket = io(location.origin, { path: livePath, transports: ['websocket'], auth, reconnectionDelayMax: 10_000, timeout: CONNECT_TIMEOUT_MS });
    this.socket.on('connect', () => {
      this.stopPolling();
      this.options.onMode('live');
      // Events logged while the socket was away (a deploy, a network blip).
      if (this.cursor > 0) void this.readAfter(this.cursor).catch(() => undefined);
    });
    this.socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
      if (error.data?.code === 'UNAUTHENTICATED') return this.stop();
      this.startPolling();
    });
    this.socket.on('disconnect', () => {
      if (!this.stopped) this.startPolling();
    });
    this.socket.on('event', (event: LoggedEvent) => this.deliver(event));
  }

  stop(): void {
    this.stopped = true;
    this.stopPolling();
    this.socket?.disconnect();
  }

  private deliver(event: LoggedEvent): void {
    if (event.company !== this.options.company || event.cursor <= this.cursor) return;
    this.cursor = event.cursor;
    this.options.onEvent(event);
  }

  private startPolling(): void {
    if (this.polling || this.stopped) return;
    this.polling = true;
    const tick = async () => {
      try {
        if (this.cursor === 0) this.cursor = await this.tip();
        else await this.readAfter(this.cursor);
        // Said once the cursor is known: whatever is logged from now on will be shown.
        if (this.polling) this.options.onMode('polling');
      } catch {
        // The next tick tries again.
      }
      if (this.polling) this.pollTimer = window.setTimeout(() => void tick(), POLL_MS);
    };
    void tick();
  }

  private stopPolling(): void {
    this.polling = false;
    window.clearTimeout(this.pollTimer);
  }

  /** Where the log ends now: only what happens from here on is shown. */
  private async tip(): Promise<number> {
    let after = 0;
    for (;;) {
      const page = await this.page(after);
      if (page.next === after || page.events.length < PAGE) return page.next;
      after = page.next;
    }
  }

  private async readAfter(after: number): Promise<void> {
    for (let cursor = after; ;) {
      const page = await this.page(cursor);
      for (const event of page.events) this.deliver(event);
      this.cursor = Math.max(this.cursor, page.next);
      if (page.next === cursor || page.events.length < PAGE) return;
      cursor = page.next;
    }
  }

  private page(after: number): Promise<{ events: LoggedEvent[]; next: number }> {
    return this.options.api.get(`${companyPath(this.options.company)}/events?after=${after}&limit=${PAGE}&types=${TYPES.join(',')}`);
  }
}
