import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { authConfig, type AuthConfig } from '../core/config/configuration';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { ADMIN_ONLY, IS_PUBLIC } from './auth.decorators';
import { AuthException } from './auth.exception';
import type { AuthenticatedRequest } from './principal';
import { headerValue, type HttpRequestLike } from './request-credentials';
import { consumePoint } from './rate-limit';

/**
 * Authenticates `X-API-Key`, rate-limits per key (and failed attempts per client address), and
 * enforces tenancy: a company key may only reach routes of its own `:company`.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly perKey: RateLimiterMemory;

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
    @Inject(authConfig.KEY) config: AuthConfig,
  ) {
    this.perKey = new RateLimiterMemory({ keyPrefix: 'key', points: config.requestsPerMinute, duration: 60 });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<HttpRequestLike & AuthenticatedRequest>();
    const principal = await this.authenticator.authenticate(headerValue(request, 'x-api-key'), request.ip ?? 'unknown');
    await consumePoint(this.perKey, principal.id);
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, targets) && principal.kind !== 'admin') {
      throw AuthException.forbidden();
    }
    const company = request.params?.company;
    if (principal.kind === 'company' && company !== undefined && company !== principal.company) {
      throw AuthException.forbidden();
    }
    request.principal = principal;
    return true;
  }
}
