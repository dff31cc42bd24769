import { Module } from '@nestjs/common';
import { TenancyModule } from '../../tenancy/tenancy.module';
import { WhatsappWebAdapter } from './whatsapp-web.adapter';

@Module({
  imports: [TenancyModule],
  providers: [WhatsappWebAdapter],
  exports: [WhatsappWebAdapter],
})
export class WhatsappWebModule {}
