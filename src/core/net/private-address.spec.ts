import { isPrivateAddress, literalAddressOf, resolveAll } from './private-address';

describe('private addresses', () => {
  it('classifies addresses', () => {
    expect(
      [
        '127.0.0.1',
        '10.1.2.3',
        '172.20.0.1',
        '192.168.1.1',
        '169.254.169.254',
        '100.64.0.1',
        '0.0.0.0',
        '::1',
        'fe80::1',
        'fd00::1',
        '::ffff:127.0.0.1',
      ].filter((a) => !isPrivateAddress(a)),
    ).toEqual([]);
    expect(['8.8.8.8', '151.101.1.69', '2606:4700:4700::1111'].filter(isPrivateAddress)).toEqual([]);
  });

  it('tells literal addresses in URLs, IPv6 without brackets', () => {
    expect(literalAddressOf(new URL('http://[::1]:8080/x'))).toBe('::1');
    expect(literalAddressOf(new URL('https://10.0.0.1/x'))).toBe('10.0.0.1');
    expect(literalAddressOf(new URL('https://example.com/x'))).toBeUndefined();
  });

  it('resolves a literal address to itself and a name to its addresses', async () => {
    await expect(resolveAll('10.0.0.1')).resolves.toEqual(['10.0.0.1']);
    expect((await resolveAll('localhost')).every(isPrivateAddress)).toBe(true);
  });
});
