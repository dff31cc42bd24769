import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { AppException } from '../http/app.exception';
import { ErrorCode } from '../http/error-code';
import { Draining } from './draining';

/** Intake stops while draining: every request but the health probes gets 503 SHUTTING_DOWN (requests in flight finish). */
@Injectable()
export class DrainingInterceptor implements NestInterceptor {
  constructor(private readonly draining: Draining) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (this.draining.active && !context.switchToHttp().getRequest<FastifyRequest>().url.startsWith('/health')) {
      throw new AppException(ErrorCode.SHUTTING_DOWN, 'the service is shutting down; retry on another instance', { retryAfterSeconds: 5 });
    }
    return next.handle();
  }
}
