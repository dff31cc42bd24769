import { AppException } from '../core/http/app.exception';
import { ErrorCode } from '../core/http/error-code';

export class LiveException extends AppException {
  static invalidHandshake(reason: string): LiveException {
    return new LiveException(ErrorCode.VALIDATION_FAILED, `invalid handshake: ${reason}`);
  }

  static tooManySockets(limit: number): LiveException {
    return new LiveException(ErrorCode.RATE_LIMITED, `at most ${limit} live sockets per company on one instance`, { retryAfterSeconds: 5 });
  }
}

/** What a refused client reads in `connect_error`: `err.message`, and `err.data` = `{ code, message, retryAfterSeconds? }`. */
export interface LiveRefusal {
  code: ErrorCode;
  message: string;
  retryAfterSeconds?: number;
}

/** The error handed to Socket.IO's `next()`: the client receives its message and `data`. */
export function connectError(error: unknown): Error & { data: LiveRefusal } {
  const refusal: LiveRefusal =
    error instanceof AppException
      ? {
          code: error.code,
          message: error.code === ErrorCode.UNAUTHENTICATED ? 'a valid API key is required (auth.apiKey or the X-API-Key header)' : error.message,
        }
      : { code: ErrorCode.INTERNAL, message: 'internal error' };
  const retryAfter = error instanceof AppException ? error.options.retryAfterSeconds : undefined;
  if (retryAfter !== undefined) refusal.retryAfterSeconds = Math.max(1, Math.ceil(retryAfter));
  return Object.assign(new Error(refusal.message), { data: refusal });
}
