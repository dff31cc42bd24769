import { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';
import type { ProviderEvent } from '../providers/provider-events';
import type { CompanyRecord } from '../tenancy/company';
import type { SessionStatus } from './session-status';

export interface SessionTransition {
  company: string;
  session: string;
  status: SessionStatus;
  reason?: string;
  /** The QR code to scan, with SCAN_QR. */
  qr?: string;
  at: Date;
}

export interface SessionProviderEvent {
  company: string;
  session: string;
  event: ProviderEvent;
}

export interface SessionStatusReceipt {
  company: CompanyRecord;
  /** The receiving session, when the source names it (Twilio routes by number and may not). */
  session?: string;
  event: Extract<ProviderEvent, { type: 'status' }>;
}

export type StatusHandler = (receipt: SessionStatusReceipt) => Promise<void>;

interface Events {
  transition: [SessionTransition];
  provider: [SessionProviderEvent];
}

/** In-process bus for what sessions report: status transitions and every provider event (inbound messages go to ingest, not here). */
@Injectable()
export class SessionEvents extends EventEmitter<Events> {
  private readonly statusHandlers: StatusHandler[] = [];
  private readonly statusRecorders: StatusHandler[] = [];

  /** Registers a durable consumer of delivery receipts (the outbox). */
  handleStatus(handler: StatusHandler): void {
    this.statusHandlers.push(handler);
  }

  /** Registers what runs once a receipt is applied (the event log): no event for a receipt not applied. */
  recordStatus(recorder: StatusHandler): void {
    this.statusRecorders.push(recorder);
  }

  /** Resolves once every consumer has applied the receipt and it is recorded, so a source that can redeliver answers only then. */
  async applyStatus(receipt: SessionStatusReceipt): Promise<void> {
    await Promise.all(this.statusHandlers.map((handle) => handle(receipt)));
    await Promise.all(this.statusRecorders.map((record) => record(receipt)));
  }
}
