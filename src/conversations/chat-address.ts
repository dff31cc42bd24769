/** A WhatsApp privacy id (`<digits>@lid`): a contact WhatsApp shows without a phone number. */
const LID = /^\d{5,24}@lid$/;

export function isLid(address: string): boolean {
  return LID.test(address);
}

/** Which chat an address names: a LID as it is (chats of contacts known only by LID are filed under it), else the E.164 number. */
export function chatAddressOf(raw: string, normalize: (phone: string) => string): string {
  return isLid(raw) ? raw : normalize(raw);
}
