import { AppException } from '../core/http/app.exception';
import { ErrorCode } from '../core/http/error-code';

export class AuthException extends AppException {
  static unauthenticated(): AuthException {
    return new AuthException(ErrorCode.UNAUTHENTICATED, 'a valid X-API-Key header is required');
  }

  static bearerRequired(): AuthException {
    return new AuthException(ErrorCode.UNAUTHENTICATED, 'a valid Authorization: Bearer token is required');
  }

  /** Same answer whether or not the company exists, so a key learns nothing about other tenants. */
  static forbidden(): AuthException {
    return new AuthException(ErrorCode.FORBIDDEN, 'this API key may not access this resource');
  }

  static rateLimited(retryAfterSeconds: number): AuthException {
    return new AuthException(ErrorCode.RATE_LIMITED, 'too many requests', { retryAfterSeconds });
  }

  static keyNotFound(id: string): AuthException {
    return new AuthException(ErrorCode.API_KEY_NOT_FOUND, `API key "${id}" does not exist`);
  }
}
