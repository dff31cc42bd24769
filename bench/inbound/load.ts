import { performance } from 'node:perf_hooks';
import type { HttpAnswer, LocalHttp } from './http';
import type { Target } from './sessions';
import type { SimulatedMessage, Workload } from './workload';

export interface LoadPlan {
  rate: number;
  seconds: number;
  messagesPerRequest: number;
  drainSeconds: number;
  /** Told of each request as it leaves, with the time it was due (performance.now() clock). */
  onScheduled?: (messages: SimulatedMessage[], dueMs: number) => void;
}

export interface LoadOutcome {
  offered: number;
  requests: number;
  /** Acknowledged as stored or duplicate (already durable) by the end of the offered window. */
  persistedInWindow: number;
  /** Acknowledged as stored or duplicate by the end of the drain. */
  persisted: number;
  stored: number;
  duplicate: number;
  rejected: number;
  rejectedReasons: Record<string, number>;
  /** 2xx answers without per-message results (the endpoint before issue 6): counted as persisted. */
  legacyAcks: number;
  /** 503 answers, and the messages they carried (each redelivered after Retry-After). */
  refusals: number;
  refusedMessages: number;
  refusalCodes: Record<string, number>;
  maxRetryAfterSeconds: number;
  /** Messages with no final answer when the drain ended, and messages lost to other answers or errors. */
  unfinished: number;
  errors: Record<string, number>;
  /** Per offered message: from the scheduled first send to the 200 (ms); Infinity when none came (or it was rejected). */
  latencyMs: Float64Array;
  /** From the first scheduled send to the last answer. */
  elapsedMs: number;
  /** How late the generator sent its most delayed request (a busy machine shows here first). */
  maxSendLagMs: number;
}

interface Pending {
  target: Target;
  messages: SimulatedMessage[];
  /** Offered-message index of the first message. */
  firstIndex: number;
}

/**
 * Open-loop load: requests of `messagesPerRequest` messages leave on a fixed schedule (rate / messagesPerRequest
 * per second, round-robin over the sessions) whether or not earlier ones were answered. A 503 is answered the
 * way WhatsApp would: the same messages are sent again after Retry-After, and their latency runs from the first send.
 */
export function runLoad(http: LocalHttp, targets: Target[], workload: Workload, plan: LoadPlan): Promise<LoadOutcome> {
  const offered = Math.max(1, Math.round(plan.rate * plan.seconds));
  const requests = Math.ceil(offered / plan.messagesPerRequest);
  const intervalMs = (plan.messagesPerRequest * 1000) / plan.rate;
  const scheduledAt = new Float64Array(offered);
  const answeredAt = new Float64Array(offered).fill(Number.NaN);
  const persistedFlag = new Uint8Array(offered);
  const out: LoadOutcome = {
    offered,
    requests,
    persistedInWindow: 0,
    persisted: 0,
    stored: 0,
    duplicate: 0,
    rejected: 0,
    rejectedReasons: {},
    legacyAcks: 0,
    refusals: 0,
    refusedMessages: 0,
    refusalCodes: {},
    maxRetryAfterSeconds: 0,
    unfinished: 0,
    errors: {},
    latencyMs: new Float64Array(offered).fill(Infinity),
    elapsedMs: 0,
    maxSendLagMs: 0,
  };
  const count = (bag: Record<string, number>, key: string, n = 1) => (bag[key] = (bag[key] ?? 0) + n);

  return new Promise((resolve) => {
    const t0 = performance.now();
    const windowEnd = t0 + plan.seconds * 1000;
    const deadline = windowEnd + plan.drainSeconds * 1000;
    const retries = new Set<NodeJS.Timeout>();
    let inFlight = 0;
    let next = 0;
    let closed = false;
    let lastAnswer = t0;
    let scheduler: NodeJS.Timeout | undefined;
    let bound: NodeJS.Timeout | undefined;

    const finish = () => {
      if (closed) return;
      closed = true;
      clearTimeout(scheduler);
      clearTimeout(bound);
      for (const timer of retries) clearTimeout(timer);
      for (let i = 0; i < offered; i++) {
        if (Number.isNaN(answeredAt[i])) out.unfinished++;
        else if (persistedFlag[i]) {
          out.persisted++;
          out.latencyMs[i] = answeredAt[i] - scheduledAt[i];
          if (answeredAt[i] <= windowEnd) out.persistedInWindow++;
        }
      }
      out.elapsedMs = lastAnswer - t0;
      resolve(out);
    };
    const settleIfIdle = () => {
      if (next >= requests && inFlight === 0 && retries.size === 0) finish();
    };
    const mark = (index: number, now: number, persisted: boolean) => {
      if (!Number.isNaN(answeredAt[index])) return;
      answeredAt[index] = now;
      persistedFlag[index] = persisted ? 1 : 0;
    };

    const settle = (pending: Pending, answer: HttpAnswer, now: number) => {
      const { messages, firstIndex } = pending;
      if (answer.status === 200 && Array.isArray((answer.body as { results?: unknown }).results)) {
        const position = new Map(messages.map((m, i) => [m.providerMessageId, firstIndex + i]));
        for (const r of (answer.body as { results: Array<{ providerMessageId: string; result: string; reason?: string }> }).results) {
          const index = position.get(r.providerMessageId);
          if (index === undefined) continue;
          position.delete(r.providerMessageId);
          if (r.result === 'stored' || r.result === 'duplicate') {
            if (r.result === 'stored') out.stored++;
            else out.duplicate++;
            mark(index, now, true);
          } else {
            out.rejected++;
            count(out.rejectedReasons, r.reason ?? r.result);
            mark(index, now, false);
          }
        }
        if (position.size > 0) count(out.errors, 'no result for message', position.size);
        return;
      }
      if (answer.status >= 200 && answer.status < 300) {
        out.legacyAcks += messages.length;
        messages.forEach((_, i) => mark(firstIndex + i, now, true));
        return;
      }
      if (answer.status === 503) {
        out.refusals++;
        out.refusedMessages += messages.length;
        count(out.refusalCodes, String((answer.body as { code?: string })?.code ?? 'no code'));
        const seconds = retryAfterSeconds(answer.headers['retry-after']);
        out.maxRetryAfterSeconds = Math.max(out.maxRetryAfterSeconds, seconds);
        if (now + seconds * 1000 >= deadline) return;
        const timer = setTimeout(() => {
          retries.delete(timer);
          deliver(pending);
        }, seconds * 1000);
        retries.add(timer);
        return;
      }
      count(
        out.errors,
        `HTTP ${answer.status}${(answer.body as { code?: string })?.code ? ` ${(answer.body as { code: string }).code}` : ''}`,
        messages.length,
      );
    };

    const deliver = (pending: Pending) => {
      if (closed) return;
      const { target } = pending;
      inFlight++;
      const timeoutMs = Math.max(1_000, deadline - performance.now() + 1_000);
      http.send('POST', `/simulator/companies/${target.company}/sessions/${target.session}/inbound`, { messages: pending.messages }, timeoutMs).then(
        (answer) => {
          inFlight--;
          if (closed) return;
          lastAnswer = performance.now();
          settle(pending, answer, lastAnswer);
          settleIfIdle();
        },
        (error: Error) => {
          inFlight--;
          if (closed) return;
          count(out.errors, `network: ${error.message.slice(0, 60)}`, pending.messages.length);
          settleIfIdle();
        },
      );
    };

    const tick = () => {
      if (closed) return;
      const now = performance.now();
      while (next < requests && t0 + next * intervalMs <= now) {
        const due = t0 + next * intervalMs;
        out.maxSendLagMs = Math.max(out.maxSendLagMs, now - due);
        const firstIndex = next * plan.messagesPerRequest;
        const size = Math.min(plan.messagesPerRequest, offered - firstIndex);
        scheduledAt.fill(due, firstIndex, firstIndex + size);
        const session = next % targets.length;
        const messages = workload.take(session, size);
        plan.onScheduled?.(messages, due);
        deliver({ target: targets[session], messages, firstIndex });
        next++;
      }
      if (next < requests) scheduler = setTimeout(tick, Math.max(0, t0 + next * intervalMs - performance.now()));
      else settleIfIdle();
    };
    bound = setTimeout(finish, deadline - t0 + 50);
    tick();
  });
}

/** Retry-After in seconds (delta-seconds, or an HTTP date); 1 s when missing or unreadable. */
function retryAfterSeconds(header: string | string[] | undefined): number {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined) return 1;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, (date - Date.now()) / 1000) : 1;
}
