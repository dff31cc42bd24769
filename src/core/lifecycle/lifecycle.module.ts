import { Global, Module } from '@nestjs/common';
import { Draining } from './draining';

/** Draining's state; the HTTP request gate (src/core/http/request-gate.ts) refuses intake while it is active. */
@Global()
@Module({
  providers: [Draining],
  exports: [Draining],
})
export class LifecycleModule {}
