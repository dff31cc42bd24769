import { Module } from '@nestjs/common';
import { ConversationStoreModule } from '../../conversations/conversation-store.module';
import { TenancyModule } from '../../tenancy/tenancy.module';
import { BaileysAuthStateRepository } from './baileys-auth-state.repository';
import { BaileysAdapter } from './baileys.adapter';

@Module({
  imports: [TenancyModule, ConversationStoreModule],
  providers: [BaileysAuthStateRepository, BaileysAdapter],
  exports: [BaileysAdapter],
})
export class BaileysModule {}
