import { AppException } from '../../core/http/app.exception';
import { ErrorCode } from '../../core/http/error-code';

export class TwilioException extends AppException {
  /** One answer for a bad or missing signature and an unknown company, so callers learn nothing. */
  static forbidden(): TwilioException {
    return new TwilioException(ErrorCode.FORBIDDEN, 'request is not signed by Twilio for this endpoint');
  }

  static invalidWebhook(reason: string): TwilioException {
    return new TwilioException(ErrorCode.VALIDATION_FAILED, `invalid Twilio webhook: ${reason}`);
  }

  static accountNotConfigured(company: string): TwilioException {
    return new TwilioException(ErrorCode.PROVIDER_NOT_CONFIGURED, `no Twilio account is configured for company "${company}" (TWILIO_ACCOUNTS)`);
  }

  static invalidRecipient(reason: string): TwilioException {
    return new TwilioException(ErrorCode.INVALID_PHONE_NUMBER, `cannot send through Twilio: ${reason}`);
  }
}
