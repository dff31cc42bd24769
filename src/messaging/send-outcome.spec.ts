import { ProviderSendError } from '../providers/provider-send.error';
import { decideAfterSend, UNKNOWN_OUTCOME } from './send-outcome';

const rules = { maxAttempts: 3, retryBaseMs: 1_000 };

describe('decideAfterSend (the send-timeout rule)', () => {
  it('never retries a timed-out send whose outcome stayed unknown', () => {
    expect(decideAfterSend({ kind: 'timeout' }, 0, rules)).toEqual({ action: 'fail', reason: UNKNOWN_OUTCOME, attempts: 1 });
  });

  it('resolves a timed-out send by its late result: the provider id marks it sent, not sent twice', () => {
    expect(decideAfterSend({ kind: 'timeout', late: { kind: 'sent', providerMessageId: 'WA1' } }, 1, rules)).toEqual({
      action: 'mark-sent',
      providerMessageId: 'WA1',
      attempts: 2,
    });
  });

  it('retries a timed-out send only once the provider said it failed', () => {
    expect(decideAfterSend({ kind: 'timeout', late: { kind: 'error', error: new Error('socket closed') } }, 0, rules)).toEqual({
      action: 'retry',
      delayMs: 1_000,
      attempts: 1,
      reason: 'socket closed',
    });
  });

  it('fails permanent errors at once and retries transient ones with backoff until the tries are spent', () => {
    expect(decideAfterSend({ kind: 'error', error: new ProviderSendError('+5215512345678 is not on WhatsApp', true) }, 0, rules)).toMatchObject({
      action: 'fail',
      attempts: 1,
    });
    expect(decideAfterSend({ kind: 'error', error: new Error('"12" is not a phone number') }, 0, rules).action).toBe('fail');
    expect(decideAfterSend({ kind: 'error', error: new Error('Connection Failure (403)') }, 0, rules).action).toBe('fail');
    expect(decideAfterSend({ kind: 'error', error: new Error('timed out waiting for socket') }, 1, rules)).toMatchObject({
      action: 'retry',
      delayMs: 2_000,
      attempts: 2,
    });
    expect(decideAfterSend({ kind: 'error', error: new Error('boom') }, 2, rules)).toEqual({ action: 'fail', reason: 'boom (after 3 tries)', attempts: 3 });
  });

  it('does not count a deferral as a try', () => {
    expect(decideAfterSend({ kind: 'deferred', retryInMs: 500, reason: 'session rate limit' }, 2, rules)).toEqual({
      action: 'retry',
      delayMs: 500,
      attempts: 2,
      reason: 'session rate limit',
    });
  });
});
