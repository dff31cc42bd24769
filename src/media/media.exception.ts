import { AppException } from '../core/http/app.exception';
import { ErrorCode } from '../core/http/error-code';
import type { StoredMedia } from '../conversations/message';

export class MediaException extends AppException {
  static notFound(session: string, id: string): MediaException {
    return new MediaException(ErrorCode.MEDIA_NOT_FOUND, `session "${session}" has no message ${id} with media`);
  }

  /** The message has media, but its bytes are not stored (yet, or for good): the status and reason say which. */
  static notAvailable(id: string, media: StoredMedia): MediaException {
    const status = media.status ?? 'not downloaded';
    return new MediaException(ErrorCode.MEDIA_NOT_AVAILABLE, `the media of message ${id} is ${status}${media.reason ? `: ${media.reason}` : ''}`, {
      details: { status, ...(media.reason ? { reason: media.reason } : {}) },
      ...(status === 'pending' ? { retryAfterSeconds: 2 } : {}),
    });
  }
}
