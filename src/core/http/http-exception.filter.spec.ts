import { ArgumentsHost, BadRequestException, HttpException, HttpStatus, Logger, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AppException } from './app.exception';
import { ErrorCode } from './error-code';
import { HttpExceptionFilter } from './http-exception.filter';

interface RecordedResponse {
  statusCode?: number;
  body?: unknown;
  headers: Record<string, string>;
}

/** A fake of the framework edge: an ArgumentsHost whose response records what the filter sends through the adapter. */
function fakeHost(request: { id?: unknown } = { id: 'req-42' }): { host: ArgumentsHost; sent: RecordedResponse } {
  const sent: RecordedResponse = { headers: {} };
  const host = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => sent, getNext: () => undefined }),
  } as unknown as ArgumentsHost;
  return { host, sent };
}

const adapter = {
  reply(response: RecordedResponse, body: unknown, statusCode: number) {
    response.statusCode = statusCode;
    response.body = body;
  },
  setHeader(response: RecordedResponse, name: string, value: string) {
    response.headers[name] = value;
  },
};

describe('HttpExceptionFilter', () => {
  const filter = new HttpExceptionFilter({ httpAdapter: adapter } as unknown as HttpAdapterHost);
  let loggedErrors: jest.SpyInstance;

  beforeEach(() => {
    // Keeps the expected "unhandled error" log out of the test output, and lets us assert on it.
    loggedErrors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    loggedErrors.mockRestore();
  });

  it('turns an AppException into its status and code, with Retry-After', () => {
    const { host, sent } = fakeHost();
    const message = 'company "acme" has too many database operations in progress';

    filter.catch(new AppException(ErrorCode.TENANT_BUSY, message, { retryAfterSeconds: 2 }), host);

    expect(sent.statusCode).toBe(503);
    expect(sent.body).toEqual({ statusCode: 503, code: 'TENANT_BUSY', message });
    expect(sent.headers).toEqual({ 'Retry-After': '2' });
    expect(loggedErrors).not.toHaveBeenCalled();
  });

  it('rounds Retry-After up to whole seconds, at least 1', () => {
    const fractional = fakeHost();
    filter.catch(new AppException(ErrorCode.TENANT_UNAVAILABLE, 'down', { retryAfterSeconds: 2.1 }), fractional.host);
    expect(fractional.sent.headers['Retry-After']).toBe('3');

    const zero = fakeHost();
    filter.catch(new AppException(ErrorCode.RATE_LIMITED, 'slow down', { retryAfterSeconds: 0 }), zero.host);
    expect(zero.sent.headers['Retry-After']).toBe('1');
    expect(zero.sent.statusCode).toBe(429);
  });

  it('sends no Retry-After and includes details for an AppException that has them', () => {
    const { host, sent } = fakeHost();
    const details = [{ row: 3, reason: 'bad number' }];

    filter.catch(new AppException(ErrorCode.INVALID_PHONE_NUMBER, 'bad number', { details }), host);

    expect(sent.statusCode).toBe(400);
    expect(sent.body).toEqual({ statusCode: 400, code: 'INVALID_PHONE_NUMBER', message: 'bad number', details });
    expect(sent.headers).toEqual({});
  });

  it('turns a Nest BadRequestException with a message array into 400 VALIDATION_FAILED with details', () => {
    const { host, sent } = fakeHost();
    const messages = ['number must be a string', 'tags must be an array'];

    filter.catch(new BadRequestException(messages), host);

    expect(sent.statusCode).toBe(400);
    expect(sent.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'number must be a string; tags must be an array',
      details: messages,
    });
    expect(sent.headers).toEqual({});
  });

  it('maps other client-error HttpExceptions by status, with their message', () => {
    const notFound = fakeHost();
    filter.catch(new NotFoundException('Cannot GET /nope'), notFound.host);
    expect(notFound.sent.statusCode).toBe(404);
    expect(notFound.sent.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: 'Cannot GET /nope' });

    const plain = fakeHost();
    filter.catch(new HttpException('too big', HttpStatus.PAYLOAD_TOO_LARGE), plain.host);
    expect(plain.sent.body).toEqual({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: 'too big' });
  });

  it("names the framework's errors by their cause: malformed JSON, unsupported media types, wrong methods", () => {
    const malformed = fakeHost();
    const cause = Object.assign(new Error('Unexpected end of JSON input'), { code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 });
    filter.catch(new HttpException('Unexpected end of JSON input', 400, { cause }), malformed.host);
    expect(malformed.sent.body).toEqual({ statusCode: 400, code: 'MALFORMED_JSON', message: 'Unexpected end of JSON input' });

    const unsupported = fakeHost();
    filter.catch(new HttpException('Unsupported Media Type', HttpStatus.UNSUPPORTED_MEDIA_TYPE), unsupported.host);
    expect(unsupported.sent.body).toEqual({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported Media Type' });

    const method = fakeHost();
    filter.catch(new HttpException('Method Not Allowed', HttpStatus.METHOD_NOT_ALLOWED), method.host);
    expect(method.sent.body).toEqual({ statusCode: 405, code: 'METHOD_NOT_ALLOWED', message: 'Method Not Allowed' });
  });

  it('turns an unknown Error into 500 INTERNAL with the request id as correlationId, without leaking its message', () => {
    const { host, sent } = fakeHost({ id: 'req-42' });
    const secret = 'connection string mongodb://admin:hunter2@db';

    filter.catch(new Error(secret), host);

    expect(sent.statusCode).toBe(500);
    expect(sent.body).toEqual({ statusCode: 500, code: 'INTERNAL', message: 'Internal error', correlationId: 'req-42' });
    expect(JSON.stringify(sent.body)).not.toContain('hunter2');
    expect(sent.headers).toEqual({});
    expect(loggedErrors).toHaveBeenCalledTimes(1);
  });

  it('treats a server-side HttpException and a thrown non-Error like an unknown error', () => {
    const unavailable = fakeHost({ id: 'req-7' });
    filter.catch(new ServiceUnavailableException('pool exhausted on shard-3'), unavailable.host);
    expect(unavailable.sent.statusCode).toBe(500);
    expect(unavailable.sent.body).toEqual({ statusCode: 500, code: 'INTERNAL', message: 'Internal error', correlationId: 'req-7' });

    const thrownString = fakeHost({ id: 'req-8' });
    filter.catch('something odd', thrownString.host);
    expect(thrownString.sent.body).toEqual({ statusCode: 500, code: 'INTERNAL', message: 'Internal error', correlationId: 'req-8' });
  });
});
