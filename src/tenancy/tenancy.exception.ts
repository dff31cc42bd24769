import { AppException } from '../core/http/app.exception';
import { ErrorCode } from '../core/http/error-code';

export class TenancyException extends AppException {
  static notFound(slug: string): TenancyException {
    return new TenancyException(ErrorCode.COMPANY_NOT_FOUND, `company "${slug}" does not exist`);
  }

  static busy(slug: string, retryAfterSeconds: number): TenancyException {
    return new TenancyException(ErrorCode.TENANT_BUSY, `company "${slug}" has too many database operations in progress`, {
      retryAfterSeconds,
    });
  }

  static unavailable(slug: string, retryAfterSeconds: number, cause?: unknown): TenancyException {
    return new TenancyException(ErrorCode.TENANT_UNAVAILABLE, `the database of company "${slug}" is unavailable`, {
      retryAfterSeconds,
      cause,
    });
  }
}
