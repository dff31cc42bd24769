import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { AuthModule } from '../auth/auth.module';
import { IngestModule } from '../ingest/ingest.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { CompanyHealthIndicator } from './company.health';
import { HealthController } from './health.controller';
import { IngestHealthIndicator } from './ingest.health';
import { MemoryHealthIndicator } from './memory.health';
import { ProbeAccess } from './probe-access';
import { probesConfig } from './probes.config';

@Module({
  imports: [TerminusModule, TenancyModule, SessionsModule, IngestModule, AuthModule, ConfigModule.forFeature(probesConfig)],
  controllers: [HealthController],
  providers: [CompanyHealthIndicator, MemoryHealthIndicator, IngestHealthIndicator, ProbeAccess],
})
export class HealthModule {}
