import { Writable } from 'node:stream';
import pino from 'pino';
import { pinoOptions } from './pino-options';

function capture(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { stream, lines };
}

describe('pinoOptions', () => {
  it('pretty-prints through pino-pretty in development', () => {
    const options = pinoOptions({ nodeEnv: 'development', logLevel: 'debug' });
    expect(options.level).toBe('debug');
    expect(options.transport).toEqual({ target: 'pino-pretty', options: expect.objectContaining({ colorize: true }) });
    expect(() => require.resolve('pino-pretty')).not.toThrow();
  });

  it.each(['production', 'test'])('writes JSON lines in %s, credentials redacted', (nodeEnv) => {
    const options = pinoOptions({ nodeEnv, logLevel: 'info' });
    expect(options.transport).toBeUndefined();
    const { stream, lines } = capture();
    pino(options, stream).info({ req: { headers: { 'x-api-key': 'vv_secret', accept: 'json' } } }, 'hello');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 30, msg: 'hello', req: { headers: { 'x-api-key': '[redacted]', accept: 'json' } } });
  });
});
