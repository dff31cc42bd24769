/** A one-contact vCard 3.0 as WhatsApp clients send it; `waid` (the number's digits) makes the card tappable. */
export function vcardOf(name: string, phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const escaped = name
    .replace(/\\/g, '\\\\')
    .replace(/[,;]/g, (c) => `\\${c}`)
    .replace(/[\r\n]+/g, ' ');
  return ['BEGIN:VCARD', 'VERSION:3.0', `FN:${escaped}`, `TEL;type=CELL;waid=${digits}:+${digits}`, 'END:VCARD'].join('\n');
}
