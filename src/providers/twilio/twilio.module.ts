import { Module } from '@nestjs/common';
import { TwilioInboundRouter } from './twilio-inbound.router';
import { TwilioSignatureGuard } from './twilio-signature.guard';
import { TwilioWebhookController } from './twilio-webhook.controller';
import { TwilioAdapter } from './twilio.adapter';

@Module({
  controllers: [TwilioWebhookController],
  providers: [TwilioAdapter, TwilioInboundRouter, TwilioSignatureGuard],
  exports: [TwilioAdapter, TwilioInboundRouter],
})
export class TwilioModule {}
