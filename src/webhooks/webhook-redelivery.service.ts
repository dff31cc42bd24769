import { Injectable } from '@nestjs/common';
import type { TenantContext } from '../tenancy/tenant-context';
import { activate } from './delivery/active-endpoint';
import { signedHeaders } from './delivery/webhook-signature';
import { WebhookSender } from './delivery/webhook-sender';
import { WebhookDeadLettersRepository, type DeadLetterPage } from './repositories/webhook-dead-letters.repository';
import { WebhookEndpointsRepository } from './repositories/webhook-endpoints.repository';
import { SecretBox } from './secret-box';
import { WebhookMetrics } from './webhook-metrics';
import { WebhooksException } from './webhooks.exception';

export interface RedeliveryOutcome {
  deadLetter: string;
  eventId: string;
  outcome: 'delivered' | 'failed';
  status?: number;
  error?: string;
  durationMs: number;
}

/**
 * Dead letters of an endpoint: listed newest first, and sent again on request, now, with the same
 * `webhook-id` and the endpoint's current secrets. Delivered: the dead letter is removed; failed: it stays.
 * A request by an admin goes out even while the endpoint's breaker is open.
 */
@Injectable()
export class WebhookRedeliveryService {
  constructor(
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly deadLetters: WebhookDeadLettersRepository,
    private readonly sender: WebhookSender,
    private readonly box: SecretBox,
    private readonly metrics: WebhookMetrics,
  ) {}

  async list(tenant: TenantContext, endpoint: string, cursor: string | undefined, limit: number): Promise<DeadLetterPage> {
    await this.endpointOf(tenant, endpoint);
    return this.deadLetters.list(tenant, endpoint, cursor, limit);
  }

  async redeliver(tenant: TenantContext, endpointId: string, deadLetterId: string): Promise<RedeliveryOutcome> {
    const endpoint = activate(await this.endpointOf(tenant, endpointId), this.box);
    const deadLetter = await this.deadLetters.get(tenant, endpointId, deadLetterId);
    if (!deadLetter) throw WebhooksException.deadLetterNotFound(endpointId, deadLetterId);
    const body = JSON.stringify(deadLetter.event);
    const at = new Date();
    const result = await this.sender.send({ url: endpoint.url, body, headers: signedHeaders(deadLetter.event.id, body, endpoint.signingSecrets(at), at) });
    const labels = { company: tenant.company.slug, endpoint: endpointId };
    if (result.ok) {
      await this.deadLetters.remove(tenant, deadLetterId);
      this.metrics.deliveries.inc({ ...labels, outcome: 'redelivered' });
    } else {
      this.metrics.failures.inc(labels);
    }
    return {
      deadLetter: deadLetterId,
      eventId: deadLetter.event.id,
      outcome: result.ok ? 'delivered' : 'failed',
      ...(result.status === undefined ? {} : { status: result.status }),
      ...(result.error === undefined ? {} : { error: result.error }),
      durationMs: result.durationMs,
    };
  }

  private async endpointOf(tenant: TenantContext, id: string) {
    const endpoint = await this.endpoints.get(tenant, id);
    if (!endpoint) throw WebhooksException.notFound(tenant.company.slug, id);
    return endpoint;
  }
}
