import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EventType } from '../events/event-types';
import type { TenantContext } from '../tenancy/tenant-context';
import { TenantConnectionPool } from '../tenancy/tenant-connection-pool.service';
import { generateSecret } from './delivery/webhook-signature';
import { EventLogHead } from '../events/event-log-head';
import { WebhookEndpointsRepository, type EndpointChanges } from './repositories/webhook-endpoints.repository';
import { SecretBox } from './secret-box';
import { WebhookDispatchService } from './webhook-dispatch.service';
import { toView, type EndpointView, type StoredEndpoint } from './webhook-endpoint';
import { WebhookMetrics } from './webhook-metrics';
import { checkTarget } from './webhook-target';
import { webhooksConfig, type WebhooksConfig } from './webhooks.config';
import { WebhooksException } from './webhooks.exception';

/** Endpoints a company may register: each one is a dispatcher and a breaker. */
export const MAX_WEBHOOKS_PER_COMPANY = 20;

export interface NewWebhook {
  url: string;
  types?: EventType[];
  sessions?: string[];
}

export interface WebhookChanges {
  url?: string;
  types?: EventType[] | null;
  sessions?: string[] | null;
}

export type WebhookWithSecret = EndpointView & { secret: string };

/**
 * Company admins' webhook endpoints. The secret is shown when it is made (registration, rotation) and
 * never again; it is kept sealed. A rotation keeps the previous secret signing alongside the new one
 * for WEBHOOK_SECRET_GRACE_MS, so receivers can switch without losing a delivery.
 */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly pool: TenantConnectionPool,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly head: EventLogHead,
    private readonly box: SecretBox,
    private readonly dispatch: WebhookDispatchService,
    private readonly metrics: WebhookMetrics,
    @Inject(webhooksConfig.KEY) private readonly config: WebhooksConfig,
  ) {}

  async create(company: string, input: NewWebhook): Promise<WebhookWithSecret> {
    const tenant = await this.pool.forCompany(company);
    await this.checkTarget(input.url);
    if ((await this.endpoints.list(tenant)).length >= MAX_WEBHOOKS_PER_COMPANY) throw WebhooksException.limitReached(company, MAX_WEBHOOKS_PER_COMPANY);
    const secret = generateSecret();
    const now = new Date();
    const endpoint: StoredEndpoint = {
      id: `wh_${randomBytes(10).toString('hex')}`,
      url: input.url,
      types: input.types ?? null,
      sessions: input.sessions ?? null,
      secret: this.box.seal(secret),
      cursor: await this.head.of(tenant.company),
      createdAt: now,
      updatedAt: now,
    };
    await this.endpoints.insert(tenant, endpoint);
    await this.dispatch.refresh(tenant.company);
    return { ...toView(company, endpoint), secret };
  }

  async list(company: string): Promise<EndpointView[]> {
    const tenant = await this.pool.forCompany(company);
    return (await this.endpoints.list(tenant)).map((endpoint) => toView(company, endpoint));
  }

  async get(company: string, id: string): Promise<EndpointView> {
    const tenant = await this.pool.forCompany(company);
    return toView(company, await this.find(tenant, id));
  }

  async update(company: string, id: string, input: WebhookChanges): Promise<EndpointView> {
    const tenant = await this.pool.forCompany(company);
    const changes: EndpointChanges = {};
    if (typeof input.url === 'string') {
      await this.checkTarget(input.url);
      changes.url = input.url;
    }
    if (input.types !== undefined) changes.types = input.types;
    if (input.sessions !== undefined) changes.sessions = input.sessions;
    if (!(await this.endpoints.update(tenant, id, changes))) throw WebhooksException.notFound(company, id);
    await this.dispatch.refresh(tenant.company);
    return toView(company, await this.find(tenant, id));
  }

  async remove(company: string, id: string): Promise<void> {
    const tenant = await this.pool.forCompany(company);
    if (!(await this.endpoints.remove(tenant, id))) throw WebhooksException.notFound(company, id);
    this.metrics.forget(company, id);
    await this.dispatch.refresh(tenant.company);
  }

  /** A new secret, shown once; the previous one keeps signing (second signature) during the grace period. */
  async rotateSecret(company: string, id: string): Promise<WebhookWithSecret & { previousSecretValidUntil: Date | null }> {
    const tenant = await this.pool.forCompany(company);
    const current = await this.find(tenant, id);
    const secret = generateSecret();
    const now = new Date();
    const graceUntil = this.config.secretGraceMs > 0 ? new Date(now.getTime() + this.config.secretGraceMs) : null;
    const changes: EndpointChanges = { secret: this.box.seal(secret), secretRotatedAt: now };
    if (graceUntil) Object.assign(changes, { previousSecret: current.secret, previousSecretUntil: graceUntil });
    const unset: Array<keyof EndpointChanges> = graceUntil ? [] : ['previousSecret', 'previousSecretUntil'];
    if (!(await this.endpoints.update(tenant, id, changes, unset))) throw WebhooksException.notFound(company, id);
    await this.dispatch.refresh(tenant.company);
    return { ...toView(company, await this.find(tenant, id)), secret, previousSecretValidUntil: graceUntil };
  }

  private async find(tenant: TenantContext, id: string): Promise<StoredEndpoint> {
    const endpoint = await this.endpoints.get(tenant, id);
    if (!endpoint) throw WebhooksException.notFound(tenant.company.slug, id);
    return endpoint;
  }

  private checkTarget(url: string): Promise<void> {
    return checkTarget(url, { httpsOnly: this.config.production, allowPrivate: this.config.allowPrivateTargets });
  }
}
