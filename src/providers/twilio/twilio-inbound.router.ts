import { Injectable, Logger } from '@nestjs/common';
import type { ProviderEvent } from '../provider-events';

export type EmitFn = (event: ProviderEvent) => void;

/** Per company; enough for a session that takes a while to start, small enough to bound memory. */
export const TWILIO_BACKLOG_LIMIT = 1000;

interface Backlog {
  events: ProviderEvent[];
  dropped: number;
}

/**
 * Routes verified webhook events to the running Twilio clients of their company. Events for a
 * company with no running client wait in a bounded backlog, handed to the next client that registers.
 */
@Injectable()
export class TwilioInboundRouter {
  private readonly logger = new Logger(TwilioInboundRouter.name);
  private readonly clients = new Map<string, Set<{ emit: EmitFn }>>();
  private readonly backlogs = new Map<string, Backlog>();

  /** Returns the function that unregisters this client; calling it twice is harmless. */
  register(company: string, emit: EmitFn): () => void {
    const registration = { emit };
    const registered = this.clients.get(company) ?? new Set();
    registered.add(registration);
    this.clients.set(company, registered);
    this.flushBacklog(company, emit);
    return () => {
      registered.delete(registration);
      if (registered.size === 0 && this.clients.get(company) === registered) this.clients.delete(company);
    };
  }

  deliver(company: string, event: ProviderEvent): void {
    const registered = this.clients.get(company);
    if (!registered || registered.size === 0) {
      this.keep(company, event);
      return;
    }
    for (const { emit } of registered) this.emitSafely(company, emit, event);
  }

  /** Events waiting for a client of `company`. */
  backlogSize(company: string): number {
    return this.backlogs.get(company)?.events.length ?? 0;
  }

  private keep(company: string, event: ProviderEvent): void {
    const backlog = this.backlogs.get(company) ?? { events: [], dropped: 0 };
    this.backlogs.set(company, backlog);
    backlog.events.push(event);
    if (backlog.events.length <= TWILIO_BACKLOG_LIMIT) return;
    backlog.events.shift();
    backlog.dropped += 1;
    // Once per hundred drops: a flood of webhooks must not become a flood of log lines.
    if (backlog.dropped % 100 === 1) {
      this.logger.warn({ company, dropped: backlog.dropped, limit: TWILIO_BACKLOG_LIMIT }, 'no Twilio client running: dropping the oldest waiting webhook events');
    }
  }

  private flushBacklog(company: string, emit: EmitFn): void {
    const backlog = this.backlogs.get(company);
    if (!backlog) return;
    this.backlogs.delete(company);
    if (backlog.dropped > 0) {
      this.logger.warn({ company, dropped: backlog.dropped, delivered: backlog.events.length }, 'Twilio client registered after webhook events were dropped');
    }
    for (const event of backlog.events) this.emitSafely(company, emit, event);
  }

  private emitSafely(company: string, emit: EmitFn, event: ProviderEvent): void {
    try {
      emit(event);
    } catch (error) {
      this.logger.error({ err: error, company, type: event.type }, 'Twilio event handler failed');
    }
  }
}
