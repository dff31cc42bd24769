import { Injectable } from '@nestjs/common';
import { AppException } from '../core/http/app.exception';
import { ErrorCode } from '../core/http/error-code';
import { ProspectsService } from '../prospects/prospects.service';
import { SessionsService } from '../sessions/sessions.service';
import type { CompanyRecord } from '../tenancy/company';
import { TenantConnectionPool } from '../tenancy/tenant-connection-pool.service';
import type { SendMessageDto } from './dto/send-message.dto';
import type { OutboundView } from './outbound-message';
import { OutboundWorker } from './outbound-worker.service';
import { OutboxRepository } from './outbox.repository';

const IDEMPOTENCY_KEY = /^[\w.:-]{1,128}$/;

/** Accepts outbound messages: stored as queued before anything is sent, then left to the worker. */
@Injectable()
export class OutboundService {
  constructor(
    private readonly pool: TenantConnectionPool,
    private readonly sessions: SessionsService,
    private readonly prospects: ProspectsService,
    private readonly outbox: OutboxRepository,
    private readonly worker: OutboundWorker,
  ) {}

  async enqueue(company: string, session: string, body: SendMessageDto, idempotencyKey?: string): Promise<{ message: OutboundView; created: boolean }> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new AppException(ErrorCode.VALIDATION_FAILED, 'Idempotency-Key must be 1-128 letters, digits or . _ : -');
    }
    await this.sessions.get(company, session);
    const to = this.prospects.normalize(body.to);
    await this.sessions.wakeForDemand(company, session);
    const result = await this.outbox.enqueue(await this.pool.forCompany(company), {
      session,
      to,
      text: body.text,
      mediaUrl: body.mediaUrl,
      caption: body.caption,
      idempotencyKey,
    });
    if (result.created) this.worker.kick();
    return result;
  }

  /**
   * Outbound messages not settled yet; null when the company's own cluster is not connected in this process.
   * Read outside the company's gate: monitoring must not queue behind the load it reports.
   */
  async queueDepth(company: CompanyRecord): Promise<number | null> {
    const depth = await this.pool.runIfConnected(company, (db) => this.outbox.countWaiting({ company, run: (operation) => operation(db) }));
    return depth ?? null;
  }

  async get(company: string, session: string, id: string): Promise<OutboundView> {
    await this.sessions.get(company, session);
    const message = await this.outbox.find(await this.pool.forCompany(company), session, id);
    if (!message) throw new AppException(ErrorCode.NOT_FOUND, `no outbound message ${id} in session ${session}`);
    return message;
  }
}
