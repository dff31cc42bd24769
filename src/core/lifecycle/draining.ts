import { Injectable } from '@nestjs/common';

/** Set first thing on SIGTERM: readiness answers 503 and new requests are refused while the process hands over. */
@Injectable()
export class Draining {
  private since?: Date;

  get active(): boolean {
    return this.since !== undefined;
  }

  begin(): void {
    this.since ??= new Date();
  }
}
