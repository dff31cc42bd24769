import { Injectable } from '@nestjs/common';

/** How many items a queue of another module holds for a company in this process. */
export type QueueDepthReader = (company: string) => number | Promise<number>;

/**
 * Queues that other modules own and stats report (e.g. webhook deliveries pending): a module registers its
 * reader at start-up; stats depend on no module that is optional.
 */
@Injectable()
export class QueueDepthSources {
  private readonly readers = new Map<string, QueueDepthReader>();

  register(queue: string, reader: QueueDepthReader): void {
    this.readers.set(queue, reader);
  }

  /** Each registered queue's depth for the company; a reader that fails reports null. */
  async read(company: string): Promise<Record<string, number | null>> {
    const entries = await Promise.all(
      [...this.readers].map(async ([queue, reader]) => [queue, await Promise.resolve(reader(company)).catch(() => null)] as const),
    );
    return Object.fromEntries(entries);
  }
}
