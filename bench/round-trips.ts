import type { mongo } from 'mongoose';

const COUNTED = new Set(['find', 'insert', 'update', 'findAndModify']);

/** Counts the read/write commands sent for one database's `records` collection (needs `monitorCommands`). */
export class RoundTripCounter {
  readonly byCommand: Record<string, number> = {};
  private readonly listener = (event: mongo.CommandStartedEvent) => {
    if (event.databaseName !== this.dbName || !COUNTED.has(event.commandName)) return;
    if (event.command[event.commandName] !== 'records') return;
    this.byCommand[event.commandName] = (this.byCommand[event.commandName] ?? 0) + 1;
  };

  constructor(
    private readonly client: mongo.MongoClient,
    private readonly dbName: string,
  ) {
    client.on('commandStarted', this.listener);
  }

  get total(): number {
    return Object.values(this.byCommand).reduce((sum, count) => sum + count, 0);
  }

  stop(): void {
    this.client.off('commandStarted', this.listener);
  }
}
