import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EventType } from '../events/event-types';
import type { TenantContext } from '../tenancy/tenant-context';
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
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly head: EventLogHead,
    private readonly box: SecretBox,
    private readonly dispatch: WebhookDispatchService,
    private readonly metrics: WebhookMetrics,
    @Inject(webhooksConfig.KEY) private readonly config: WebhooksConfig,
  ) {}

  async create(tenant: TenantContext, input: NewWebhook): Promise<WebhookWithSecret> {
    await this.checkTarget(input.url);
    if ((await this.endpoints.list(tenant)).length >= MAX_WEBHOOKS_PER_COMPANY)
      throw WebhooksException.limitReached(tenant.company.slug, MAX_WEBHOOKS_PER_COMPANY);
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
    return { ...toView(tenant.company.slug, endpoint), secret };
  }

  async list(tenant: TenantContext): Promise<EndpointView[]> {
    return (await this.endpoints.list(tenant)).map((endpoint) => toView(tenant.company.slug, endpoint));
  }

  async get(tenant: TenantContext, id: string): Promise<EndpointView> {
    return toView(tenant.company.slug, await this.find(tenant, id));
  }

  async update(tenant: TenantContext, id: string, input: WebhookChanges): Promise<EndpointView> {
    const changes: EndpointChanges = {};
    if (typeof input.url === 'string') {
      await this.checkTarget(input.url);
      changes.url = input.url;
    }
    if (input.types !== undefined) changes.types = input.types;
    if (input.sessions !== undefined) changes.sessions = input.sessions;
    if (!(await this.endpoints.update(tenant, id, changes))) throw WebhooksException.notFound(tenant.company.slug, id);
    await this.dispatch.refresh(tenant.company);
    return toView(tenant.company.slug, await this.find(tenant, id));
  }

  async remove(tenant: TenantContext, id: string): Promise<void> {
    if (!(await this.endpoints.remove(tenant, id))) throw WebhooksException.notFound(tenant.company.slug, id);
    this.metrics.forget(tenant.company.slug, id);
    await this.dispatch.refresh(tenant.company);
  }

  /** A new secret, shown once; the previous one keeps signing (second signature) during the grace period. */
  async rotateSecret(tenant: TenantContext, id: string): Promise<WebhookWithSecret & { previousSecretValidUntil: Date | null }> {
    const current = await this.find(tenant, id);
    const secret = generateSecret();
    const now = new Date();
    const graceUntil = this.config.secretGraceMs > 0 ? new Date(now.getTime() + this.config.secretGraceMs) : null;
    const changes: EndpointChanges = { secret: this.box.seal(secret), secretRotatedAt: now };
    if (graceUntil) Object.assign(changes, { previousSecret: current.secret, previousSecretUntil: graceUntil });
    const unset: Array<keyof EndpointChanges> = graceUntil ? [] : ['previousSecret', 'previousSecretUntil'];
    if (!(await this.endpoints.update(tenant, id, changes, unset))) throw WebhooksException.notFound(tenant.company.slug, id);
    await this.dispatch.refresh(tenant.company);
    return { ...toView(tenant.company.slug, await this.find(tenant, id)), secret, previousSecretValidUntil: graceUntil };
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
