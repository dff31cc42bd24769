import type { LoggerOptions } from 'pino';

/** Credentials never reach a log line, wherever they appear in a logged object. */
const REDACTED = [
  'req.headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers["x-twilio-signature"]',
  'req.headers.cookie',
  'headers["x-api-key"]',
  'headers.authorization',
];

/** pino's options: readable lines (pino-pretty, in a worker thread) in development, JSON lines everywhere else. */
export function pinoOptions({ nodeEnv, logLevel }: { nodeEnv: string; logLevel: string }): LoggerOptions {
  return {
    level: logLevel,
    redact: { paths: REDACTED, censor: '[redacted]' },
    ...(nodeEnv === 'development'
      ? { transport: { target: 'pino-pretty', options: { colorize: true, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
  };
}
