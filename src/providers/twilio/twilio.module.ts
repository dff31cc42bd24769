import { Module } from '@nestjs/common';
import { TwilioSignatureGuard } from './twilio-signature.guard';
import { TwilioAdapter } from './twilio.adapter';

/** The Twilio adapter; its webhook controller is registered with the sessions it routes to. */
@Module({
  providers: [TwilioAdapter, TwilioSignatureGuard],
  exports: [TwilioAdapter, TwilioSignatureGuard],
})
export class TwilioModule {}
