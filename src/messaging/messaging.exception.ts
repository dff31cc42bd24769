import { AppException } from '../core/http/app.exception';
import { ErrorCode } from '../core/http/error-code';
import type { Capability } from '../providers/provider.port';

/** Outbound messages refused before anything is queued. */
export class MessagingException extends AppException {
  static unsupported(capability: Capability, provider: string): MessagingException {
    const what =
      capability === 'reply' ? 'replies (quoting a message)' : capability === 'upload' ? 'uploaded files (only media by URL)' : `${capability} messages`;
    return new MessagingException(ErrorCode.UNSUPPORTED_MESSAGE_KIND, `${provider} sessions cannot send ${what}`, { details: { kind: capability, provider } });
  }

  static quotedNotFound(id: string): MessagingException {
    return new MessagingException(ErrorCode.QUOTED_MESSAGE_NOT_FOUND, `no stored message ${id} in this chat`);
  }

  static outsideWindow(lastInboundAt: Date | undefined): MessagingException {
    const since = lastInboundAt ? `the customer last wrote at ${lastInboundAt.toISOString()}` : 'the customer has not written';
    return new MessagingException(ErrorCode.OUTSIDE_SESSION_WINDOW, `outside WhatsApp's 24-hour window (${since}): send a template`, {
      details: { lastInboundAt: lastInboundAt?.toISOString() ?? null },
    });
  }

  static mediaUrlRefused(url: string, why: string): MessagingException {
    return new MessagingException(ErrorCode.MEDIA_URL_REFUSED, `media URL ${url} refused: ${why}`);
  }
}
