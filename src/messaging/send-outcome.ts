import { isPermanentSendError } from '../providers/provider-send.error';

/** What one try of a send came to. A timed-out try may still settle late: `late` says how, when it did within the grace. */
export type SendOutcome =
  | { kind: 'sent'; providerMessageId: string }
  | { kind: 'error'; error: unknown }
  | { kind: 'deferred'; retryInMs: number; reason: string }
  | { kind: 'timeout'; late?: { kind: 'sent'; providerMessageId: string } | { kind: 'error'; error: unknown } };

export type SendDecision =
  | { action: 'mark-sent'; providerMessageId: string; attempts: number }
  | { action: 'fail'; reason: string; attempts: number }
  | { action: 'retry'; delayMs: number; attempts: number; reason: string };

export interface RetryRules {
  maxAttempts: number;
  retryBaseMs: number;
}

/** The reason a message ends with when nobody can tell whether WhatsApp got it. */
export const UNKNOWN_OUTCOME = 'unknown_outcome';

/**
 * Outbound, once. A send that timed out is never retried blindly (a slow success would go out twice): it is
 * resolved by its late result (the provider's id, or its error), or ends as failed with `unknown_outcome`.
 * Errors are permanent (not on WhatsApp, invalid, banned: failed at once) or transient (retried with
 * exponential backoff until the tries are spent). Deferrals (rate limit, open breaker) are not tries.
 */
export function decideAfterSend(outcome: SendOutcome, attemptsBefore: number, rules: RetryRules): SendDecision {
  if (outcome.kind === 'deferred') return { action: 'retry', delayMs: outcome.retryInMs, attempts: attemptsBefore, reason: outcome.reason };
  const attempts = attemptsBefore + 1;
  const settled = outcome.kind === 'timeout' ? outcome.late : outcome;
  if (!settled) return { action: 'fail', reason: UNKNOWN_OUTCOME, attempts };
  if (settled.kind === 'sent') return { action: 'mark-sent', providerMessageId: settled.providerMessageId, attempts };
  const reason = settled.error instanceof Error ? settled.error.message : String(settled.error);
  if (isPermanentSendError(settled.error)) return { action: 'fail', reason, attempts };
  if (attempts >= rules.maxAttempts) return { action: 'fail', reason: `${reason} (after ${attempts} tries)`, attempts };
  return { action: 'retry', delayMs: rules.retryBaseMs * 2 ** (attempts - 1), attempts, reason };
}
