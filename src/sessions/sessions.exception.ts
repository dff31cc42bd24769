import { AppException } from '../core/http/app.exception';
import { ErrorCode } from '../core/http/error-code';

export class SessionsException extends AppException {
  static notFound(company: string, name: string): SessionsException {
    return new SessionsException(ErrorCode.SESSION_NOT_FOUND, `company "${company}" has no session "${name}"`);
  }

  static alreadyExists(name: string): SessionsException {
    return new SessionsException(ErrorCode.SESSION_ALREADY_EXISTS, `session "${name}" already exists`);
  }

  static notReady(name: string, status: string): SessionsException {
    return new SessionsException(ErrorCode.SESSION_NOT_READY, `session "${name}" is ${status}, not WORKING`);
  }

  static senderNotSupported(provider: string): SessionsException {
    return new SessionsException(ErrorCode.VALIDATION_FAILED, `sender is a Twilio setting; this company's sessions use ${provider}`);
  }

  static noTwilioReceiver(company: string, receiver: string): SessionsException {
    return new SessionsException(ErrorCode.SESSION_NOT_FOUND, `company "${company}" has no Twilio session receiving on ${receiver}`);
  }

  static capacity(scope: string): SessionsException {
    return new SessionsException(ErrorCode.SESSION_CAPACITY, `no ${scope} session slot is free and none can be rotated out`, { retryAfterSeconds: 30 });
  }

  static memory(rssMB: number, limitMB: number): SessionsException {
    return new SessionsException(ErrorCode.MEMORY_LIMIT, `memory too high to start a session (${rssMB} MB of ${limitMB} MB)`, { retryAfterSeconds: 60 });
  }

  static shuttingDown(): SessionsException {
    return new SessionsException(ErrorCode.SHUTTING_DOWN, 'the service is shutting down', { retryAfterSeconds: 5 });
  }
}
