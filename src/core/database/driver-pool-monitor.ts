import { Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';

export interface DriverPoolFigures {
  /** Connections the driver holds open, and how many of them run an operation now. */
  open: number;
  inUse: number;
  /** Operations waiting for a connection to be checked out. */
  waiting: number;
}

/**
 * Counts the shared cluster's driver pool from its connection-pool (CMAP) events, which every MongoClient
 * emits. Watching starts before the client connects (the connection factory), so no connection is missed.
 */
@Injectable()
export class DriverPoolMonitor {
  private readonly figures: DriverPoolFigures = { open: 0, inUse: 0, waiting: 0 };

  watch<T extends Connection>(connection: T): T {
    const client = connection.getClient();
    const add = (field: keyof DriverPoolFigures, delta: number) => () => (this.figures[field] = Math.max(0, this.figures[field] + delta));
    client.on('connectionCreated', add('open', 1));
    client.on('connectionClosed', add('open', -1));
    client.on('connectionCheckOutStarted', add('waiting', 1));
    client.on('connectionCheckOutFailed', add('waiting', -1));
    client.on('connectionCheckedOut', () => {
      add('waiting', -1)();
      add('inUse', 1)();
    });
    client.on('connectionCheckedIn', add('inUse', -1));
    return connection;
  }

  snapshot(): DriverPoolFigures {
    return { ...this.figures };
  }
}
