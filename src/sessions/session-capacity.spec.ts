import { planCapacity, type CapacityView } from './session-capacity';

const view = (key: string, overrides: Partial<CapacityView> = {}): CapacityView => ({
  key,
  company: 'acme',
  provider: 'whatsapp-web',
  status: 'WORKING',
  lastActivityAt: 0,
  inFlightSends: 0,
  ...overrides,
});

const limits = { maxActive: 250, maxPerCompany: 50, maxPerProvider: { 'whatsapp-web': 3 } };

describe('planCapacity', () => {
  it('admits without eviction while every scope has room', () => {
    expect(planCapacity([view('a'), view('b')], 'acme', 'whatsapp-web', limits)).toEqual({ ok: true, evict: [] });
  });

  it('rotates out the least recently active WORKING session of a full provider', () => {
    const active = [view('a', { lastActivityAt: 30 }), view('b', { lastActivityAt: 10 }), view('c', { lastActivityAt: 20 })];
    expect(planCapacity(active, 'other', 'whatsapp-web', limits)).toEqual({ ok: true, evict: [active[1]] });
  });

  it('never rotates out a session that is starting, pairing, reconnecting or sending', () => {
    const active = [
      view('a', { status: 'STARTING' }),
      view('b', { status: 'SCAN_QR' }),
      view('c', { inFlightSends: 1, lastActivityAt: -1 }),
      view('d', { status: 'WORKING', lastActivityAt: 5 }),
    ];
    expect(planCapacity(active.slice(0, 3), 'acme', 'whatsapp-web', limits)).toEqual({ ok: false, scope: 'provider' });
    expect(planCapacity([active[0], active[2], active[3]], 'acme', 'whatsapp-web', limits)).toEqual({ ok: true, evict: [active[3]] });
  });

  it('applies the company and global caps to every provider', () => {
    const company = Array.from({ length: 2 }, (_, i) => view(`b${i}`, { provider: 'baileys', lastActivityAt: i }));
    expect(planCapacity(company, 'acme', 'baileys', { ...limits, maxPerCompany: 2 })).toEqual({ ok: true, evict: [company[0]] });
    const global = [view('x', { company: 'x', provider: 'twilio' }), view('y', { company: 'y', provider: 'twilio', lastActivityAt: -5 })];
    expect(planCapacity(global, 'z', 'twilio', { ...limits, maxActive: 2 })).toEqual({ ok: true, evict: [global[1]] });
  });
});
