import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ErrorCode, httpStatusFor } from './error-code';

/** What Node's HTTP parser refused before any request existed (headers too large, a malformed request, a timeout). */
export function clientErrorBody(error: { code?: string }): { statusCode: number; code: ErrorCode; message: string } {
  const [code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [ErrorCode.HEADERS_TOO_LARGE, 'the request headers are too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [ErrorCode.REQUEST_TIMEOUT, 'the request was not received in time']
        : [ErrorCode.MALFORMED_REQUEST, 'the request is not valid HTTP'];
  return { statusCode: httpStatusFor(code), code, message };
}

/** Fastify's `clientErrorHandler`: the standard error body on the raw socket, then the connection closes. */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const answer = clientErrorBody(error);
  const body = JSON.stringify(answer);
  const status = answer.statusCode;
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
