import { isJidBroadcast, isJidGroup, isJidNewsletter, isLidUser, isPnUser, jidDecode, type WAMessageKey } from '@whiskeysockets/baileys';

const PN_SERVER = 's.whatsapp.net';

/**
 * `5215512345678:3@s.whatsapp.net` → `+5215512345678`. Kept digit for digit (no country rules), so
 * a reply goes back to the very id that wrote; E.164 canonicalisation (e.g. Mexico's legacy 1) is
 * the ingest's job.
 */
export function phoneOfJid(jid: string | null | undefined): string | undefined {
  if (!jid || !isPnUser(jid)) return undefined;
  const user = jidDecode(jid)?.user;
  return user && /^\d{6,15}$/.test(user) ? `+${user}` : undefined;
}

/** Chats we ignore: groups, broadcast lists, status updates and channels. */
export function isIgnoredChat(jid: string | null | undefined): boolean {
  return !jid || !!isJidGroup(jid) || !!isJidBroadcast(jid) || !!isJidNewsletter(jid);
}

/**
 * The other party of a one-to-one chat (who wrote to us, or whom we wrote to): their phone when WhatsApp
 * tells it (the chat id, or the alternate id of a LID-addressed chat), else the LID itself, which
 * `jidForRecipient` accepts back for replies.
 */
export function otherPartyOf(key: WAMessageKey): string | undefined {
  const phone = phoneOfJid(key.remoteJid) ?? phoneOfJid(key.remoteJidAlt);
  if (phone) return phone;
  return key.remoteJid && isLidUser(key.remoteJid) ? key.remoteJid : undefined;
}

/** `+5215512345678` → `5215512345678@s.whatsapp.net`; a user id (`…@s.whatsapp.net`, `…@lid`) passes through. */
export function jidForRecipient(to: string): string {
  if (isPnUser(to) || isLidUser(to)) return to;
  return `${digitsOf(to)}@${PN_SERVER}`;
}

export function digitsOf(phone: string): string {
  const digits = phone.replace(/^\+/, '').replace(/[\s().-]/g, '');
  if (!/^\d{6,15}$/.test(digits)) throw new Error(`"${phone}" is not a phone number`);
  return digits;
}
