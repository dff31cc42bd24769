import { AppException } from '../core/http/app.exception';
import { ErrorCode } from '../core/http/error-code';

export class EventsException extends AppException {
  static cursorExpired(after: number, oldest: number): EventsException {
    return new EventsException(ErrorCode.EVENT_CURSOR_EXPIRED, `events after ${after} are past the retention; the oldest kept starts at ${oldest}`, {
      details: { oldest },
    });
  }
}
