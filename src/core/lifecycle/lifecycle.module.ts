import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { Draining } from './draining';
import { DrainingInterceptor } from './draining.interceptor';

@Global()
@Module({
  providers: [Draining, { provide: APP_INTERCEPTOR, useClass: DrainingInterceptor }],
  exports: [Draining],
})
export class LifecycleModule {}
