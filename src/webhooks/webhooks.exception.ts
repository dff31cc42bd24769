import { AppException } from '../core/http/app.exception';
import { ErrorCode } from '../core/http/error-code';

export class WebhooksException extends AppException {
  static notFound(company: string, id: string): WebhooksException {
    return new WebhooksException(ErrorCode.WEBHOOK_NOT_FOUND, `company "${company}" has no webhook "${id}"`);
  }

  static deadLetterNotFound(webhook: string, id: string): WebhooksException {
    return new WebhooksException(ErrorCode.WEBHOOK_DEAD_LETTER_NOT_FOUND, `webhook "${webhook}" has no dead letter "${id}"`);
  }

  static targetForbidden(reason: string): WebhooksException {
    return new WebhooksException(ErrorCode.WEBHOOK_TARGET_FORBIDDEN, `webhook URL refused: ${reason}`);
  }

  static limitReached(company: string, limit: number): WebhooksException {
    return new WebhooksException(ErrorCode.WEBHOOK_LIMIT_REACHED, `company "${company}" has ${limit} webhooks, the most it may have`);
  }

  static invalidCursor(): WebhooksException {
    return new WebhooksException(ErrorCode.VALIDATION_FAILED, 'cursor is not one this listing returned');
  }
}
