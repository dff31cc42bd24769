import type { Target } from './sessions';

export interface SimulatedMessage {
  providerMessageId: string;
  from: string;
  text: string;
  senderName: string;
}

export const TEXT_BYTES = 100;

/**
 * The messages of one run (or of the seed): each session gets its own senders, and a session's messages
 * go round-robin over its chats so each chat receives `perChat` messages spread over the run.
 * Phones are Mexican mobile numbers +52 55 TSSCCCCC: T the workload's tag (keeps the seed's and each run's
 * senders apart), SS the session, CCCCC the chat.
 */
export class Workload {
  private readonly counters: number[];
  readonly chatsPerSession: number;

  constructor(
    private readonly tag: number,
    private readonly targets: Target[],
    totalMessages: number,
    perChat: number,
  ) {
    if (tag < 0 || tag > 9 || targets.length > 100) throw new Error('tag must be a digit and sessions at most 100');
    this.counters = targets.map(() => 0);
    this.chatsPerSession = Math.min(99_999, Math.max(1, Math.round(totalMessages / targets.length / perChat)));
  }

  /** The next `count` messages for session `index` of the targets. */
  take(index: number, count: number): SimulatedMessage[] {
    const batch: SimulatedMessage[] = [];
    for (let i = 0; i < count; i++) {
      const n = this.counters[index]++;
      const chat = n % this.chatsPerSession;
      const phone = `+5255${this.tag}${String(index).padStart(2, '0')}${String(chat).padStart(5, '0')}`;
      batch.push({
        providerMessageId: `wamid.B${this.tag}.${index}.${n}`,
        from: phone,
        text: textFor(n, chat),
        senderName: `Cliente ${this.tag}-${index}-${chat}`,
      });
    }
    return batch;
  }
}

function textFor(n: number, chat: number): string {
  return `Hola, mensaje ${n}: me interesa el modelo ${chat % 7}. Tienen disponibilidad esta semana? Saludos`.padEnd(TEXT_BYTES, '.').slice(0, TEXT_BYTES);
}
