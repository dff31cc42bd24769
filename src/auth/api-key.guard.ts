import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { authConfig, type AuthConfig } from '../core/config/configuration';
import { ApiKeysService } from './api-keys.service';
import { ADMIN_ONLY, IS_PUBLIC } from './auth.decorators';
import { AuthException } from './auth.exception';
import type { AuthenticatedRequest, Principal } from './principal';

/**
 * Authenticates `X-API-Key`, rate-limits per key (and failed attempts per client address), and
 * enforces tenancy: a company key may only reach routes of its own `:company`.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly perKey: RateLimiterMemory;
  private readonly failedAttempts: RateLimiterMemory;

  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
    @Inject(authConfig.KEY) config: AuthConfig,
  ) {
    this.perKey = new RateLimiterMemory({ keyPrefix: 'key', points: config.requestsPerMinute, duration: 60 });
    this.failedAttempts = new RateLimiterMemory({ keyPrefix: 'auth', points: config.authFailuresPer5Minutes, duration: 300 });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const principal = await this.authenticate(request);
    await limit(this.perKey, principal.id);
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

  private async authenticate(request: Request): Promise<Principal> {
    const address = request.ip ?? 'unknown';
    const previous = await this.failedAttempts.get(address);
    if (previous && previous.remainingPoints <= 0) throw AuthException.rateLimited(previous.msBeforeNext / 1000);
    const header = request.header('x-api-key');
    const principal = header ? await this.apiKeys.resolve(header) : null;
    if (principal) return principal;
    await limit(this.failedAttempts, address);
    throw AuthException.unauthenticated();
  }
}

async function limit(limiter: RateLimiterMemory, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw AuthException.rateLimited(rejection.msBeforeNext / 1000);
    throw rejection;
  }
}
