import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { EventLog } from '../events/event-log.service';
import type { EventDraft } from '../events/event-types';
import { CompaniesService } from '../tenancy/companies.service';
import { SessionEvents, type SessionStatusReceipt, type SessionTransition } from './session-events';

/**
 * Puts what sessions report into the company's event log: each transition (and QR) once it is persisted,
 * each delivery receipt once it is applied. A transition lost to a crash is followed by the next owner's own.
 */
@Injectable()
export class SessionEventLog {
  private readonly logger = new Logger(SessionEventLog.name);

  constructor(
    events: SessionEvents,
    private readonly log: EventLog,
    private readonly companies: CompaniesService,
  ) {
    events.on('transition', (transition) => void this.recordTransition(transition));
    events.recordStatus((receipt) => this.recordReceipt(receipt));
  }

  private async recordTransition({ company, session, status, reason, qr, at }: SessionTransition): Promise<void> {
    const key = `session:${session}:${at.getTime()}:${randomUUID()}`;
    const drafts: EventDraft[] = [
      { key, type: 'session.status', session, occurredAt: at, data: reason === undefined ? { session, status } : { session, status, reason } },
    ];
    if (qr !== undefined) drafts.push({ key: `${key}:qr`, type: 'session.qr', session, occurredAt: at, data: { session, qr } });
    try {
      await this.log.append(await this.companies.get(company), drafts);
    } catch (error) {
      this.logger.warn({ company, session, status, err: (error as Error).message }, 'session event not logged');
    }
  }

  private async recordReceipt({ company, session, event }: SessionStatusReceipt): Promise<void> {
    const data: Record<string, unknown> = { providerMessageId: event.providerMessageId, status: event.status, at: event.at.toISOString() };
    if (session !== undefined) data.session = session;
    if (event.reason !== undefined) data.reason = event.reason;
    const draft: EventDraft = { key: `status:${event.providerMessageId}:${event.status}`, type: 'message.status', occurredAt: event.at, data };
    if (session !== undefined) draft.session = session;
    await this.log.append(company, [draft]);
  }
}
