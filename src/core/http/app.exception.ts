import { ErrorCode } from './error-code';

export interface AppExceptionOptions {
  /** Seconds a client should wait before retrying; sent as `Retry-After`. */
  retryAfterSeconds?: number;
  details?: unknown;
  cause?: unknown;
}

/** Base of every feature exception: a stable code, a message safe to show, and optional retry hint. */
export class AppException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: AppExceptionOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
  }
}
