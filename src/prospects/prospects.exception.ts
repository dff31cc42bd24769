import { AppException } from '../core/http/app.exception';
import { ErrorCode } from '../core/http/error-code';

export class ProspectsException extends AppException {
  static invalidNumber(reason: string): ProspectsException {
    return new ProspectsException(ErrorCode.INVALID_PHONE_NUMBER, reason);
  }

  static notFound(number: string): ProspectsException {
    return new ProspectsException(ErrorCode.PROSPECT_NOT_FOUND, `no prospect with number ${number}`);
  }

  static invalidCursor(): ProspectsException {
    return new ProspectsException(ErrorCode.VALIDATION_FAILED, 'cursor is not one this API returned');
  }

  static importTooLarge(max: number): ProspectsException {
    return new ProspectsException(ErrorCode.IMPORT_TOO_LARGE, `an import takes at most ${max} rows`);
  }
}
