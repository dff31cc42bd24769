import { Module } from '@nestjs/common';
import { TenancyModule } from '../../tenancy/tenancy.module';
import { BaileysAuthStateRepository } from './baileys-auth-state.repository';
import { BaileysAdapter } from './baileys.adapter';

@Module({
  imports: [TenancyModule],
  providers: [BaileysAuthStateRepository, BaileysAdapter],
  exports: [BaileysAdapter],
})
export class BaileysModule {}
