import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { decodePageCursor } from '../core/pagination/page-cursor';
import { PageQuery } from '../core/pagination/page.query';
import type { DeadLetterPage } from './repositories/webhook-dead-letters.repository';
import { WebhookRedeliveryService, type RedeliveryOutcome } from './webhook-redelivery.service';
import { WebhooksException } from './webhooks.exception';
import { Tenant } from '../tenancy/http/route-company.decorators';
import type { TenantContext } from '../tenancy/tenant-context';

/** Events an endpoint did not take within the retry horizon; newest first, and redelivered on request. */
@ApiTags('webhooks')
@ApiSecurity('api-key')
@Controller('api/v1/companies/:company/webhooks/:webhook/dead-letters')
export class WebhookDeadLettersController {
  constructor(private readonly redelivery: WebhookRedeliveryService) {}

  @Get()
  list(@Tenant() tenant: TenantContext, @Param('webhook') webhook: string, @Query() query: PageQuery): Promise<DeadLetterPage> {
    // The listing is keyed by `_id` alone; the cursor has the shared page-cursor shape.
    const cursor = query.cursor === undefined ? undefined : decodePageCursor(query.cursor);
    if (cursor === null) throw WebhooksException.invalidCursor();
    return this.redelivery.list(tenant, webhook, cursor?.id, query.limit);
  }

  /** Sends the event again now, same `webhook-id`, and answers how it went; delivered dead letters are removed. */
  @Post(':deadLetter/redeliver')
  @HttpCode(200)
  redeliver(@Tenant() tenant: TenantContext, @Param('webhook') webhook: string, @Param('deadLetter') deadLetter: string): Promise<RedeliveryOutcome> {
    return this.redelivery.redeliver(tenant, webhook, deadLetter);
  }
}
