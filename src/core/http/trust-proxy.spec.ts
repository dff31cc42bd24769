import { isTrustProxy, parseTrustProxy } from './trust-proxy';

describe('TRUST_PROXY', () => {
  it.each([
    ['false', false],
    ['0', false],
    ['true', true],
    ['1', 1],
    ['2', 2],
    ['10.0.0.0/8', ['10.0.0.0/8']],
    ['10.0.0.0/8, 192.168.1.7,fd00::/8', ['10.0.0.0/8', '192.168.1.7', 'fd00::/8']],
  ])('reads %s', (raw, expected) => {
    expect(parseTrustProxy(raw)).toEqual(expected);
    expect(isTrustProxy(raw)).toBe(true);
  });

  it.each(['', 'yes', '-1', '100', '10.0.0.0/33', '10.0.0/8', 'fd00::/129', '10.0.0.1/8/1', 'loopback', '10.0.0.1,'])('refuses %p', (raw) => {
    expect(isTrustProxy(raw)).toBe(false);
    expect(() => parseTrustProxy(raw)).toThrow(/TRUST_PROXY/);
  });
});
