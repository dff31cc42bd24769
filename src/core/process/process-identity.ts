import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable } from '@nestjs/common';

/** This process incarnation, distinct across restarts and instances: the owner name of what it holds in the database. */
@Injectable()
export class ProcessIdentity {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
