import { Module } from '@nestjs/common';
import { TenancyModule } from '../tenancy/tenancy.module';
import { MigrationRunner } from './migration-runner.service';

@Module({
  imports: [TenancyModule],
  providers: [MigrationRunner],
  exports: [MigrationRunner],
})
export class MigrationsModule {}
