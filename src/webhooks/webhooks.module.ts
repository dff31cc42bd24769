import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ProcessIdentity } from '../core/process/process-identity';
import { EventsModule } from '../events/events.module';
import { StatsModule } from '../stats/stats.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { WebhookSender } from './delivery/webhook-sender';
import { WebhookDeadLettersRepository } from './repositories/webhook-dead-letters.repository';
import { WebhookDispatchLeaseRepository } from './repositories/webhook-dispatch-lease.repository';
import { WebhookEndpointsRepository } from './repositories/webhook-endpoints.repository';
import { SecretBox } from './secret-box';
import { WebhookDeadLettersController } from './webhook-dead-letters.controller';
import { WebhookDispatchService } from './webhook-dispatch.service';
import { WebhookMetrics } from './webhook-metrics';
import { WebhookRedeliveryService } from './webhook-redelivery.service';
import { webhooksConfig, type WebhooksConfig } from './webhooks.config';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/** Outgoing webhooks: endpoints per company, signed (Standard Webhooks) and delivered durably from the event log. */
@Module({
  imports: [TenancyModule, EventsModule, StatsModule, ConfigModule.forFeature(webhooksConfig)],
  controllers: [WebhooksController, WebhookDeadLettersController],
  providers: [
    ProcessIdentity,
    WebhookEndpointsRepository,
    WebhookDeadLettersRepository,
    WebhookDispatchLeaseRepository,
    WebhookMetrics,
    { provide: SecretBox, useFactory: (config: WebhooksConfig) => new SecretBox(config.secretKey), inject: [webhooksConfig.KEY] },
    {
      provide: WebhookSender,
      // Where private targets are allowed (never in a real deployment) registration already kept http to private ones.
      useFactory: (config: WebhooksConfig) =>
        new WebhookSender({
          timeoutMs: config.timeoutMs,
          maxResponseBytes: config.maxResponseBytes,
          allowPrivate: config.allowPrivateTargets,
          httpsOnly: config.production && !config.allowPrivateTargets,
        }),
      inject: [webhooksConfig.KEY],
    },
    WebhookDispatchService,
    WebhooksService,
    WebhookRedeliveryService,
  ],
})
export class WebhooksModule {}
