import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AuthException } from './auth.exception';

/** Takes one point for `key`, or throws RATE_LIMITED with the time until the next point. */
export async function consumePoint(limiter: RateLimiterMemory, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw AuthException.rateLimited(rejection.msBeforeNext / 1000);
    throw rejection;
  }
}
