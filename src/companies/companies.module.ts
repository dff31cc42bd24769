import { Module } from '@nestjs/common';
import { MigrationsModule } from '../migrations/migrations.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { CompaniesController } from './companies.controller';

@Module({
  imports: [TenancyModule, MigrationsModule],
  controllers: [CompaniesController],
})
export class CompaniesModule {}
