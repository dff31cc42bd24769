/**
 * A send the provider refused, saying whether trying again can help. Permanent: the recipient is not on
 * WhatsApp, the address is invalid, the account is banned. Adapters throw it where they know; other errors
 * are classified by {@link isPermanentSendError}.
 */
export class ProviderSendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'ProviderSendError';
  }
}

const PERMANENT =
  /not on whatsapp|not a phone number|not a media url|invalid (number|recipient|jid|address|url)|banned|forbidden|not-authorized|\b(401|403)\b|refused: (private|loopback|link-local)|too large/i;

export function isPermanentSendError(error: unknown): boolean {
  if (error instanceof ProviderSendError) return error.permanent;
  return PERMANENT.test(error instanceof Error ? error.message : String(error));
}
