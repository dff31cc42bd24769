import { BAILEYS_CAPABILITIES, SIMULATOR_CAPABILITIES, TWILIO_CAPABILITIES, WHATSAPP_WEB_CAPABILITIES } from './capabilities';
import { OUTBOUND_KINDS } from './provider.port';

describe('provider capabilities', () => {
  it('lets Twilio send text, media, locations and templates only', () => {
    expect(OUTBOUND_KINDS.filter((kind) => !TWILIO_CAPABILITIES.has(kind))).toEqual(['sticker', 'contact', 'reaction']);
    for (const other of ['reply', 'read', 'typing', 'contacts'] as const) expect(TWILIO_CAPABILITIES.has(other)).toBe(false);
  });

  it('lets WhatsApp clients do everything but templates, and the simulator everything', () => {
    for (const set of [BAILEYS_CAPABILITIES, WHATSAPP_WEB_CAPABILITIES]) {
      expect(OUTBOUND_KINDS.filter((kind) => !set.has(kind))).toEqual(['template']);
      expect(['reply', 'read', 'typing', 'contacts'].every((c) => set.has(c as never))).toBe(true);
    }
    expect(OUTBOUND_KINDS.every((kind) => SIMULATOR_CAPABILITIES.has(kind))).toBe(true);
  });
});
