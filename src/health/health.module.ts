import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { SessionsModule } from '../sessions/sessions.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { CompanyHealthIndicator } from './company.health';
import { HealthController } from './health.controller';
import { MemoryHealthIndicator } from './memory.health';

@Module({
  imports: [TerminusModule, TenancyModule, SessionsModule],
  controllers: [HealthController],
  providers: [CompanyHealthIndicator, MemoryHealthIndicator],
})
export class HealthModule {}
