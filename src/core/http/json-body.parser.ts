import type { FastifyInstance } from 'fastify';
import { AppException } from './app.exception';
import { ErrorCode } from './error-code';

const [QUOTE, BACKSLASH, OPEN_OBJECT, OPEN_ARRAY, CLOSE_OBJECT, CLOSE_ARRAY] = [0x22, 0x5c, 0x7b, 0x5b, 0x7d, 0x5d];

/**
 * Whether JSON text nests objects and arrays deeper than `max`, read from the raw bytes before anything is built
 * (UTF-8 continuation bytes are never ASCII, so they cannot be mistaken for brackets or quotes).
 */
export function nestsDeeperThan(body: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (++depth > max) return true;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) depth--;
  }
  return false;
}

type Done = (error: Error | null, body?: unknown) => void;

/**
 * The JSON body parser: an empty body is no body (as before on Express), nesting beyond `maxDepth` is refused with
 * 400 BODY_TOO_DEEP before parsing (deep bodies overflowed class-transformer's stack), the rest is Fastify's own
 * parser (prototype poisoning refused; invalid JSON becomes 400 MALFORMED_JSON in the error filter).
 */
export function jsonBodyParser(instance: FastifyInstance, maxDepth: number): (request: unknown, body: Buffer, done: Done) => void {
  const parse = instance.getDefaultJsonParser('error', 'error');
  return (request, body, done) => {
    if (body.length === 0) return done(null, undefined);
    if (nestsDeeperThan(body, maxDepth)) {
      return done(new AppException(ErrorCode.BODY_TOO_DEEP, `the JSON body nests objects or arrays deeper than ${maxDepth} levels`));
    }
    void parse(request as never, body.toString('utf8'), done);
  };
}
