import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { mediaConfig } from '../../media/media.config';
import { ConversationStoreModule } from '../../conversations/conversation-store.module';
import { TenancyModule } from '../../tenancy/tenancy.module';
import { BaileysAuthStateRepository } from './baileys-auth-state.repository';
import { BaileysAdapter } from './baileys.adapter';

@Module({
  imports: [TenancyModule, ConversationStoreModule, ConfigModule.forFeature(mediaConfig)],
  providers: [BaileysAuthStateRepository, BaileysAdapter],
  exports: [BaileysAdapter],
})
export class BaileysModule {}
