import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export type PhoneParseResult = { ok: true; e164: string } | { ok: false; reason: string };

/** WhatsApp and Twilio wrap numbers: `5215512345678@c.us`, `whatsapp:+5215512345678`. */
const WRAPPERS = /^whatsapp:|@(c\.us|s\.whatsapp\.net)$/g;

/** Normalises a phone number to E.164, the form used as a key everywhere. */
export function toE164(raw: unknown, defaultRegion: string): PhoneParseResult {
  if (typeof raw !== 'string' && typeof raw !== 'number') return { ok: false, reason: 'phone number is missing' };
  const text = String(raw).trim().replace(WRAPPERS, '');
  if (text.length === 0) return { ok: false, reason: 'phone number is empty' };
  if (text.length > 32) return { ok: false, reason: 'phone number is too long' };
  const digitsOnly = /^\d{8,15}$/.test(text);
  const phone = parsePhoneNumberFromString(digitsOnly && text.length > 10 ? `+${text}` : text, defaultRegion as CountryCode);
  if (!phone) return { ok: false, reason: `"${text}" is not a phone number` };
  if (!phone.isValid()) return { ok: false, reason: `"${text}" is not a valid number for ${phone.country ?? 'its country code'}` };
  return { ok: true, e164: phone.number };
}
