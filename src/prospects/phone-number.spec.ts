import { toE164 } from './phone-number';

describe('toE164', () => {
  describe('accepted numbers', () => {
    it.each([
      ['international format with spaces', '+52 55 1234 5678', '+525512345678'],
      ['US number wrapped by Twilio', 'whatsapp:+14155552671', '+14155552671'],
      ['UK international format', '+44 20 7946 0958', '+442079460958'],
      ['digits only with country code', '14155552671', '+14155552671'],
      ['number given as a JS number', 14155552671, '+14155552671'],
      ['surrounding whitespace', '  +14155552671  ', '+14155552671'],
      ['WhatsApp user id of a US number', '14155552671@c.us', '+14155552671'],
      ['WhatsApp multi-device jid of a US number', '14155552671@s.whatsapp.net', '+14155552671'],
    ])('%s: %p becomes %s', (_label, raw, e164) => {
      expect(toE164(raw, 'MX')).toEqual({ ok: true, e164 });
    });

    it.each([
      ['55 1234 5678', '+525512345678'],
      ['5512345678', '+525512345678'],
      ['(55) 1234-5678', '+525512345678'],
    ])('reads national number %p in the default region MX as %s', (raw, e164) => {
      expect(toE164(raw, 'MX')).toEqual({ ok: true, e164 });
    });

    it('reads a national number in the given default region', () => {
      expect(toE164('(415) 555-2671', 'US')).toEqual({ ok: true, e164: '+14155552671' });
    });

    // DEFAULT_PHONE_REGION is configurable: national numbers dialled with a trunk "0" must not be
    // mistaken for international digits (no country calling code starts with 0).
    it.each([
      ['020 7946 0958', 'GB', '+442079460958'],
      ['07400 123456', 'GB', '+447400123456'],
      ['0 30 123456789', 'DE', '+4930123456789'],
      ['06 12 34 56 78', 'FR', '+33612345678'],
    ])('reads national number %p with a trunk 0 in region %s as %s', (raw, region, e164) => {
      expect(toE164(raw, region)).toEqual({ ok: true, e164 });
    });
  });

  /**
   * WhatsApp and many Mexican users still write mobiles with the legacy "1" after +52
   * (`+52 1 55 …`, WhatsApp id `521…@c.us`). It must resolve to the same key as `+52 55 …`,
   * otherwise every Mexican WhatsApp contact is rejected or stored under a second key.
   */
  describe('Mexican mobiles with the legacy "1" prefix', () => {
    it.each([['+52 1 55 1234 5678'], ['5215512345678@c.us'], ['whatsapp:+5215512345678']])('%p normalises to +525512345678', (raw) => {
      expect(toE164(raw, 'MX')).toEqual({ ok: true, e164: '+525512345678' });
    });
  });

  describe('rejected input', () => {
    it.each([
      ['undefined', undefined, 'phone number is missing'],
      ['null', null, 'phone number is missing'],
      ['an object', { number: '+14155552671' }, 'phone number is missing'],
      ['an empty string', '', 'phone number is empty'],
      ['only whitespace', '   ', 'phone number is empty'],
      ['a bare WhatsApp suffix', '@c.us', 'phone number is empty'],
      ['more than 32 characters', '1'.repeat(33), 'phone number is too long'],
    ])('%s gives ok:false with reason %p', (_label, raw, reason) => {
      expect(toE164(raw, 'MX')).toEqual({ ok: false, reason });
    });

    it.each([['garbage'], ['call me maybe'], ['+999 123']])('%p is not a phone number', (raw) => {
      const result = toE164(raw, 'MX');
      expect(result.ok).toBe(false);
      expect(result).toEqual({ ok: false, reason: `"${raw}" is not a phone number` });
    });

    it.each([['+1 555 0000'], ['+1 555 000 0000'], ['12345678']])('%p parses but is not a valid number', (raw) => {
      const result = toE164(raw, 'MX');
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(/is not a valid number/);
    });

    it('names the country of an invalid number when it is known', () => {
      expect(toE164('12345678', 'MX')).toEqual({ ok: false, reason: '"12345678" is not a valid number for MX' });
    });
  });
});
