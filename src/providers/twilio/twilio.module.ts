import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { mediaConfig } from '../../media/media.config';
import { TwilioSignatureGuard } from './twilio-signature.guard';
import { TwilioAdapter } from './twilio.adapter';

/** The Twilio adapter; its webhook controller is registered with the sessions it routes to. */
@Module({
  imports: [ConfigModule.forFeature(mediaConfig)],
  providers: [TwilioAdapter, TwilioSignatureGuard],
  exports: [TwilioAdapter, TwilioSignatureGuard],
})
export class TwilioModule {}
