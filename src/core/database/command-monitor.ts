import { Injectable } from '@nestjs/common';
import type { Connection, mongo } from 'mongoose';

export type CommandStartedListener = (event: mongo.CommandStartedEvent) => void;

/**
 * Fans out `commandStarted` from every client we open (the shared cluster connection, whose `useDb`
 * tenants share its client, and each dedicated cluster connection) to the command counter and the
 * e2e query audit. Clients only emit when MONGODB_MONITOR_COMMANDS is on.
 */
@Injectable()
export class CommandMonitor {
  private readonly listeners = new Set<CommandStartedListener>();

  watch<T extends Connection>(connection: T): T {
    connection.getClient().on('commandStarted', (event) => {
      for (const listener of this.listeners) listener(event);
    });
    return connection;
  }

  subscribe(listener: CommandStartedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
