import { HttpStatus } from '@nestjs/common';

/** Stable, machine-readable error codes. Clients switch on these, so never rename one. */
export enum ErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  INVALID_PHONE_NUMBER = 'INVALID_PHONE_NUMBER',
  IMPORT_TOO_LARGE = 'IMPORT_TOO_LARGE',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  COMPANY_NOT_FOUND = 'COMPANY_NOT_FOUND',
  COMPANY_ALREADY_EXISTS = 'COMPANY_ALREADY_EXISTS',
  UNKNOWN_CLUSTER = 'UNKNOWN_CLUSTER',
  API_KEY_NOT_FOUND = 'API_KEY_NOT_FOUND',
  PROSPECT_NOT_FOUND = 'PROSPECT_NOT_FOUND',
  RATE_LIMITED = 'RATE_LIMITED',
  TENANT_BUSY = 'TENANT_BUSY',
  TENANT_UNAVAILABLE = 'TENANT_UNAVAILABLE',
  INGEST_OVERLOADED = 'INGEST_OVERLOADED',
  INGEST_UNAVAILABLE = 'INGEST_UNAVAILABLE',
  SESSION_NOT_FOUND = 'SESSION_NOT_FOUND',
  SESSION_ALREADY_EXISTS = 'SESSION_ALREADY_EXISTS',
  SESSION_NOT_READY = 'SESSION_NOT_READY',
  SESSION_CAPACITY = 'SESSION_CAPACITY',
  MEMORY_LIMIT = 'MEMORY_LIMIT',
  SHUTTING_DOWN = 'SHUTTING_DOWN',
  PROVIDER_NOT_CONFIGURED = 'PROVIDER_NOT_CONFIGURED',
  EVENT_CURSOR_EXPIRED = 'EVENT_CURSOR_EXPIRED',
  WEBHOOK_NOT_FOUND = 'WEBHOOK_NOT_FOUND',
  WEBHOOK_DEAD_LETTER_NOT_FOUND = 'WEBHOOK_DEAD_LETTER_NOT_FOUND',
  WEBHOOK_TARGET_FORBIDDEN = 'WEBHOOK_TARGET_FORBIDDEN',
  WEBHOOK_LIMIT_REACHED = 'WEBHOOK_LIMIT_REACHED',
  INTERNAL = 'INTERNAL',
}

function assertUnreachable(value: never): never {
  throw new Error(`unhandled error code ${String(value)}`);
}

export function httpStatusFor(code: ErrorCode): HttpStatus {
  switch (code) {
    case ErrorCode.VALIDATION_FAILED:
    case ErrorCode.INVALID_PHONE_NUMBER:
    case ErrorCode.IMPORT_TOO_LARGE:
    case ErrorCode.UNKNOWN_CLUSTER:
      return HttpStatus.BAD_REQUEST;
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case ErrorCode.UNAUTHENTICATED:
      return HttpStatus.UNAUTHORIZED;
    case ErrorCode.FORBIDDEN:
      return HttpStatus.FORBIDDEN;
    case ErrorCode.NOT_FOUND:
    case ErrorCode.COMPANY_NOT_FOUND:
    case ErrorCode.API_KEY_NOT_FOUND:
    case ErrorCode.PROSPECT_NOT_FOUND:
      return HttpStatus.NOT_FOUND;
    case ErrorCode.COMPANY_ALREADY_EXISTS:
    case ErrorCode.SESSION_ALREADY_EXISTS:
    case ErrorCode.SESSION_NOT_READY:
      return HttpStatus.CONFLICT;
    case ErrorCode.SESSION_NOT_FOUND:
      return HttpStatus.NOT_FOUND;
    case ErrorCode.SESSION_CAPACITY:
    case ErrorCode.MEMORY_LIMIT:
    case ErrorCode.SHUTTING_DOWN:
      return HttpStatus.SERVICE_UNAVAILABLE;
    case ErrorCode.RATE_LIMITED:
      return HttpStatus.TOO_MANY_REQUESTS;
    case ErrorCode.TENANT_BUSY:
    case ErrorCode.TENANT_UNAVAILABLE:
    case ErrorCode.INGEST_OVERLOADED:
    case ErrorCode.INGEST_UNAVAILABLE:
    case ErrorCode.PROVIDER_NOT_CONFIGURED:
      return HttpStatus.SERVICE_UNAVAILABLE;
    case ErrorCode.EVENT_CURSOR_EXPIRED:
      return HttpStatus.GONE;
    case ErrorCode.WEBHOOK_TARGET_FORBIDDEN:
      return HttpStatus.BAD_REQUEST;
    case ErrorCode.WEBHOOK_NOT_FOUND:
    case ErrorCode.WEBHOOK_DEAD_LETTER_NOT_FOUND:
      return HttpStatus.NOT_FOUND;
    case ErrorCode.WEBHOOK_LIMIT_REACHED:
      return HttpStatus.CONFLICT;
    case ErrorCode.INTERNAL:
      return HttpStatus.INTERNAL_SERVER_ERROR;
    default:
      return assertUnreachable(code);
  }
}
