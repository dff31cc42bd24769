import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { authConfig, type AuthConfig } from '../core/config/configuration';
import { keyPrefix } from './api-key';
import { ApiKeysService } from './api-keys.service';
import { AuthException } from './auth.exception';
import type { Principal } from './principal';
import { consumePoint } from './rate-limit';

/** One address may fail this many times more than one (address, key prefix) pair: bounds the pairs kept per address. */
export const ADDRESS_FAILURE_FACTOR = 10;

/**
 * Turns a presented API key into its principal, for every transport (HTTP requests, live socket
 * handshakes). A valid key always passes: it is checked before any failure budget, so nobody sharing
 * an address (a NAT, a proxy) can lock valid keys out. Failed attempts are counted per client address and
 * presented key prefix (and, more loosely, per address), and only failed attempts are refused with 429.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly failuresByKey: RateLimiterMemory;
  private readonly failuresByAddress: RateLimiterMemory;

  constructor(
    private readonly apiKeys: ApiKeysService,
    @Inject(authConfig.KEY) config: AuthConfig,
  ) {
    const points = config.authFailuresPer5Minutes;
    this.failuresByKey = new RateLimiterMemory({ keyPrefix: 'auth-key', points, duration: 300 });
    this.failuresByAddress = new RateLimiterMemory({ keyPrefix: 'auth-address', points: points * ADDRESS_FAILURE_FACTOR, duration: 300 });
  }

  /** Throws UNAUTHENTICATED for a missing, unknown or revoked key, RATE_LIMITED once such attempts exceed their budget. */
  async authenticate(key: string | undefined, address: string): Promise<Principal> {
    const principal = key ? await this.apiKeys.resolve(key) : null;
    if (principal) return principal;
    await consumePoint(this.failuresByAddress, address);
    await consumePoint(this.failuresByKey, `${address} ${keyPrefix(key)}`);
    throw AuthException.unauthenticated();
  }
}
