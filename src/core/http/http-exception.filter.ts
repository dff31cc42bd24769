import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AppException } from './app.exception';
import { ErrorCode, httpStatusFor } from './error-code';

export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  details?: unknown;
  correlationId?: string;
}

const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: ErrorCode.VALIDATION_FAILED,
  [HttpStatus.UNAUTHORIZED]: ErrorCode.UNAUTHENTICATED,
  [HttpStatus.FORBIDDEN]: ErrorCode.FORBIDDEN,
  [HttpStatus.NOT_FOUND]: ErrorCode.NOT_FOUND,
  [HttpStatus.METHOD_NOT_ALLOWED]: ErrorCode.METHOD_NOT_ALLOWED,
  [HttpStatus.REQUEST_TIMEOUT]: ErrorCode.REQUEST_TIMEOUT,
  [HttpStatus.PAYLOAD_TOO_LARGE]: ErrorCode.PAYLOAD_TOO_LARGE,
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  [HttpStatus.TOO_MANY_REQUESTS]: ErrorCode.RATE_LIMITED,
};

/** Fastify's own 400s (its errors reach us as HttpExceptions caused by them), by Fastify's error code. */
const CODE_BY_FASTIFY_CODE: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: ErrorCode.MALFORMED_JSON,
  FST_ERR_CTP_EMPTY_JSON_BODY: ErrorCode.MALFORMED_JSON,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ErrorCode.MALFORMED_REQUEST,
};

/**
 * The one place where errors become HTTP responses of shape `{ statusCode, code, message }`: our own exceptions,
 * Nest's, and the framework's (body limits, content types, malformed bodies, unknown routes) alike.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpExceptionFilter.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<{ id?: unknown }>();
    const response = http.getResponse<unknown>();
    const adapter = this.adapterHost.httpAdapter;
    const body = this.toBody(exception, String(request?.id ?? ''));
    if (exception instanceof AppException && exception.options.retryAfterSeconds !== undefined) {
      adapter.setHeader(response, 'Retry-After', String(Math.max(1, Math.ceil(exception.options.retryAfterSeconds))));
    }
    adapter.reply(response, body, body.statusCode);
  }

  private toBody(exception: unknown, requestId: string): ErrorBody {
    if (exception instanceof AppException) {
      const body: ErrorBody = { statusCode: httpStatusFor(exception.code), code: exception.code, message: exception.message };
      if (exception.options.details !== undefined) body.details = exception.options.details;
      return body;
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      const code = CODE_BY_FASTIFY_CODE[fastifyCodeOf(exception.cause)] ?? CODE_BY_STATUS[status] ?? ErrorCode.VALIDATION_FAILED;
      const response = exception.getResponse();
      const messages = typeof response === 'object' && response !== null ? (response as { message?: unknown }).message : response;
      const message = Array.isArray(messages) ? messages.join('; ') : String(messages ?? exception.message);
      return { statusCode: status, code, message, ...(Array.isArray(messages) ? { details: messages } : {}) };
    }
    this.logger.error({ err: exception, correlationId: requestId }, 'unhandled error');
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      code: ErrorCode.INTERNAL,
      message: 'Internal error',
      correlationId: requestId,
    };
  }
}

function fastifyCodeOf(cause: unknown): string {
  return typeof cause === 'object' && cause !== null && typeof (cause as { code?: unknown }).code === 'string' ? (cause as { code: string }).code : '';
}
