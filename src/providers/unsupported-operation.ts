import { AppException } from '../core/http/app.exception';
import { ErrorCode } from '../core/http/error-code';
import type { Capability } from './provider.port';

const NAMES: Partial<Record<Capability, string>> = { read: 'read receipts', typing: 'typing indicators', contacts: 'contact lookups' };

/** 422 UNSUPPORTED_OPERATION: the session's provider has no such thing (e.g. Twilio and read receipts). */
export function unsupportedOperation(provider: string, capability: Capability): AppException {
  return new AppException(ErrorCode.UNSUPPORTED_OPERATION, `${provider} sessions have no ${NAMES[capability] ?? capability}`, {
    details: { operation: capability, provider },
  });
}
