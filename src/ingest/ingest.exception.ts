import { AppException } from '../core/http/app.exception';
import { ErrorCode } from '../core/http/error-code';

/** Refusals an acknowledging source (Twilio, the simulator) sees; both mean "redeliver later", never "lost". */
export class IngestException extends AppException {
  static overloaded(company: string, retryAfterSeconds: number): IngestException {
    return new IngestException(ErrorCode.INGEST_OVERLOADED, `company "${company}" holds as many inbound messages as it may; redeliver later`, {
      retryAfterSeconds,
    });
  }

  static notDurableInTime(company: string, retryAfterSeconds: number, cause?: unknown): IngestException {
    return new IngestException(ErrorCode.INGEST_UNAVAILABLE, `inbound messages of company "${company}" could not be stored yet; redeliver later`, {
      retryAfterSeconds,
      cause,
    });
  }

  static shuttingDown(): IngestException {
    return new IngestException(ErrorCode.INGEST_UNAVAILABLE, 'this instance is shutting down; redeliver later', { retryAfterSeconds: 1 });
  }
}
