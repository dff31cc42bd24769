import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CreateWebhookDto } from './dto/create-webhook.dto';
import { UpdateWebhookDto } from './dto/update-webhook.dto';
import type { EndpointView } from './webhook-endpoint';
import { WebhooksService, type WebhookWithSecret } from './webhooks.service';
import { Tenant } from '../tenancy/http/route-company.decorators';
import type { TenantContext } from '../tenancy/tenant-context';

@ApiTags('webhooks')
@ApiSecurity('api-key')
@Controller('api/v1/companies/:company/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  /** Registers an endpoint; the answer holds its signing secret, shown this once. */
  @Post()
  create(@Tenant() tenant: TenantContext, @Body() body: CreateWebhookDto): Promise<WebhookWithSecret> {
    return this.webhooks.create(tenant, body);
  }

  @Get()
  list(@Tenant() tenant: TenantContext): Promise<EndpointView[]> {
    return this.webhooks.list(tenant);
  }

  /** The endpoint with its delivery state: cursor, breaker, pending events, last failure. */
  @Get(':webhook')
  get(@Tenant() tenant: TenantContext, @Param('webhook') webhook: string): Promise<EndpointView> {
    return this.webhooks.get(tenant, webhook);
  }

  @Patch(':webhook')
  update(@Tenant() tenant: TenantContext, @Param('webhook') webhook: string, @Body() body: UpdateWebhookDto): Promise<EndpointView> {
    return this.webhooks.update(tenant, webhook, body);
  }

  @Delete(':webhook')
  @HttpCode(204)
  remove(@Tenant() tenant: TenantContext, @Param('webhook') webhook: string): Promise<void> {
    return this.webhooks.remove(tenant, webhook);
  }

  /** A new secret, shown this once; the previous one stays valid (second signature) for WEBHOOK_SECRET_GRACE_MS. */
  @Post(':webhook/rotate-secret')
  @HttpCode(200)
  rotate(@Tenant() tenant: TenantContext, @Param('webhook') webhook: string): Promise<WebhookWithSecret & { previousSecretValidUntil: Date | null }> {
    return this.webhooks.rotateSecret(tenant, webhook);
  }
}
