import { Injectable } from '@nestjs/common';

/**
 * Runs this process's writes to session documents one at a time. The embedded FerretDB applies an update
 * as read-modify-write of the whole document, so a lease renewal racing a status write on the same
 * document can put the old status back (seen: a session WORKING in memory stayed SCAN_QR in the database).
 * A process writes only the sessions it owns or claims, so its own writes are the ones that race.
 */
@Injectable()
export class SessionDocumentWrites {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(write: () => Promise<T>): Promise<T> {
    const next = this.tail.then(write, write);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
