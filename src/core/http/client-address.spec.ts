import { clientAddress } from './client-address';

describe('clientAddress (proxy-addr rule, as Fastify trustProxy)', () => {
  const peer = '10.0.0.2';
  const forwarded = '203.0.113.9, 198.51.100.4';

  it('is the peer when no proxy is trusted', () => {
    expect(clientAddress(peer, forwarded, false)).toBe(peer);
  });

  it('is the left-most forwarded address when every proxy is trusted', () => {
    expect(clientAddress(peer, forwarded, true)).toBe('203.0.113.9');
    expect(clientAddress(peer, undefined, true)).toBe(peer);
  });

  it('skips as many hops as trusted: one proxy (Render) means the address it appended', () => {
    expect(clientAddress(peer, forwarded, 1)).toBe('198.51.100.4');
    expect(clientAddress(peer, forwarded, 2)).toBe('203.0.113.9');
    expect(clientAddress(peer, forwarded, 5)).toBe('203.0.113.9');
    expect(clientAddress(peer, undefined, 1)).toBe(peer);
    // A client cannot pick its own address by sending X-Forwarded-For: the trusted proxy appends the real one.
    expect(clientAddress(peer, ['1.2.3.4', '198.51.100.4'], 1)).toBe('198.51.100.4');
  });

  it('walks back while the hop is in the trusted addresses or ranges', () => {
    expect(clientAddress(peer, forwarded, ['10.0.0.0/8'])).toBe('198.51.100.4');
    expect(clientAddress(peer, forwarded, ['10.0.0.0/8', '198.51.100.4'])).toBe('203.0.113.9');
    expect(clientAddress('::ffff:10.0.0.2', forwarded, ['10.0.0.0/8'])).toBe('198.51.100.4');
    expect(clientAddress(peer, forwarded, ['192.168.0.0/16'])).toBe(peer);
    expect(clientAddress('fd00::1', forwarded, ['fd00::/8'])).toBe('198.51.100.4');
  });
});
