import { HttpStatus } from '@nestjs/common';

/** Stable, machine-readable error codes. Clients switch on these, so never rename one. */
export enum ErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  MALFORMED_JSON = 'MALFORMED_JSON',
  BODY_TOO_DEEP = 'BODY_TOO_DEEP',
  MALFORMED_REQUEST = 'MALFORMED_REQUEST',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  HEADERS_TOO_LARGE = 'HEADERS_TOO_LARGE',
  REQUEST_TIMEOUT = 'REQUEST_TIMEOUT',
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
  MEDIA_NOT_FOUND = 'MEDIA_NOT_FOUND',
  MEDIA_NOT_AVAILABLE = 'MEDIA_NOT_AVAILABLE',
  UNSUPPORTED_MESSAGE_KIND = 'UNSUPPORTED_MESSAGE_KIND',
  UNSUPPORTED_OPERATION = 'UNSUPPORTED_OPERATION',
  OUTSIDE_SESSION_WINDOW = 'OUTSIDE_SESSION_WINDOW',
  QUOTED_MESSAGE_NOT_FOUND = 'QUOTED_MESSAGE_NOT_FOUND',
  MEDIA_URL_REFUSED = 'MEDIA_URL_REFUSED',
  INTERNAL = 'INTERNAL',
}

function assertUnreachable(value: never): never {
  throw new Error(`unhandled error code ${String(value)}`);
}

export function httpStatusFor(code: ErrorCode): HttpStatus {
  switch (code) {
    case ErrorCode.VALIDATION_FAILED:
    case ErrorCode.MALFORMED_JSON:
    case ErrorCode.BODY_TOO_DEEP:
    case ErrorCode.MALFORMED_REQUEST:
    case ErrorCode.INVALID_PHONE_NUMBER:
    case ErrorCode.IMPORT_TOO_LARGE:
    case ErrorCode.UNKNOWN_CLUSTER:
      return HttpStatus.BAD_REQUEST;
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case ErrorCode.UNSUPPORTED_MEDIA_TYPE:
      return HttpStatus.UNSUPPORTED_MEDIA_TYPE;
    case ErrorCode.METHOD_NOT_ALLOWED:
      return HttpStatus.METHOD_NOT_ALLOWED;
    case ErrorCode.HEADERS_TOO_LARGE:
      return 431 as HttpStatus; // Request Header Fields Too Large: not in Nest's enum
    case ErrorCode.REQUEST_TIMEOUT:
      return HttpStatus.REQUEST_TIMEOUT;
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
    case ErrorCode.MEDIA_NOT_FOUND:
      return HttpStatus.NOT_FOUND;
    case ErrorCode.MEDIA_NOT_AVAILABLE:
      return HttpStatus.CONFLICT;
    case ErrorCode.UNSUPPORTED_MESSAGE_KIND:
    case ErrorCode.UNSUPPORTED_OPERATION:
    case ErrorCode.OUTSIDE_SESSION_WINDOW:
    case ErrorCode.QUOTED_MESSAGE_NOT_FOUND:
    case ErrorCode.MEDIA_URL_REFUSED:
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case ErrorCode.INTERNAL:
      return HttpStatus.INTERNAL_SERVER_ERROR;
    default:
      return assertUnreachable(code);
  }
}
