import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { authConfig, type AuthConfig } from '../core/config/configuration';
import { ApiKeysService } from './api-keys.service';
import { AuthException } from './auth.exception';
import type { Principal } from './principal';
import { consumePoint } from './rate-limit';

/**
 * Turns a presented API key into its principal, for every transport (HTTP requests, live socket
 * handshakes). Failed attempts share one budget per client address, so no transport bypasses it.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly failedAttempts: RateLimiterMemory;

  constructor(
    private readonly apiKeys: ApiKeysService,
    @Inject(authConfig.KEY) config: AuthConfig,
  ) {
    this.failedAttempts = new RateLimiterMemory({ keyPrefix: 'auth', points: config.authFailuresPer5Minutes, duration: 300 });
  }

  /** Throws UNAUTHENTICATED for a missing, unknown or revoked key, RATE_LIMITED once the address failed too often. */
  async authenticate(key: string | undefined, address: string): Promise<Principal> {
    const previous = await this.failedAttempts.get(address);
    if (previous && previous.remainingPoints <= 0) throw AuthException.rateLimited(previous.msBeforeNext / 1000);
    const principal = key ? await this.apiKeys.resolve(key) : null;
    if (principal) return principal;
    await consumePoint(this.failedAttempts, address);
    throw AuthException.unauthenticated();
  }
}
