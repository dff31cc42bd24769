import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export type PhoneParseResult = { ok: true; e164: string } | { ok: false; reason: string };

/** WhatsApp and Twilio wrap numbers: `5215512345678@c.us`, `whatsapp:+5215512345678`. */
const WRAPPERS = /^whatsapp:|@(c\.us|s\.whatsapp\.net)$/g;

/**
 * Mexican mobiles used to be dialled as +52 1 …, and WhatsApp ids still carry that 1
 * (`5215512345678@c.us`); the valid E.164 form drops it, so both spellings key one prospect.
 */
const MX_LEGACY_MOBILE = /^\+?521(\d{10})$/;

/** Normalises a phone number to E.164, the form used as a key everywhere. */
export function toE164(raw: unknown, defaultRegion: string): PhoneParseResult {
  if (typeof raw !== 'string' && typeof raw !== 'number') return { ok: false, reason: 'phone number is missing' };
  const text = String(raw).trim().replace(WRAPPERS, '');
  if (text.length === 0) return { ok: false, reason: 'phone number is empty' };
  if (text.length > 32) return { ok: false, reason: 'phone number is too long' };
  const compact = text.replace(/[\s().-]/g, '');
  const legacyMx = MX_LEGACY_MOBILE.exec(compact);
  const digitsOnly = /^[1-9]\d{10,14}$/.test(compact);
  const candidate = legacyMx ? `+52${legacyMx[1]}` : digitsOnly ? `+${compact}` : text;
  const phone = parsePhoneNumberFromString(candidate, defaultRegion as CountryCode);
  if (!phone) return { ok: false, reason: `"${text}" is not a phone number` };
  if (!phone.isValid()) return { ok: false, reason: `"${text}" is not a valid number for ${phone.country ?? 'its country code'}` };
  return { ok: true, e164: phone.number };
}
