import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { IngestModule } from '../ingest/ingest.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { CompanyHealthIndicator } from './company.health';
import { HealthController } from './health.controller';
import { IngestHealthIndicator } from './ingest.health';
import { MemoryHealthIndicator } from './memory.health';

@Module({
  imports: [TerminusModule, TenancyModule, SessionsModule, IngestModule],
  controllers: [HealthController],
  providers: [CompanyHealthIndicator, MemoryHealthIndicator, IngestHealthIndicator],
})
export class HealthModule {}
