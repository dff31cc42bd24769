import { Inject, Injectable } from '@nestjs/common';
import { ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import { AuthException } from '../auth/auth.exception';
import { clientAddress } from '../core/http/client-address';
import { httpConfig, type HttpConfig } from '../core/http/http.config';
import { presentedKey, requestedScope, type LiveHandshake } from './live-handshake';
import { ALL_COMPANIES, roomsToJoin } from './live-rooms';

/** A socket admitted to the live stream: whose it is and which rooms it joins. */
export interface LiveSubscription {
  /** The company whose key opened it, or `*` for the admin key. */
  holder: string;
  rooms: string[];
}

/**
 * Decides at the handshake what a socket may follow. The key is checked like an HTTP request's (same
 * failed-attempt budget per client address, derived under TRUST_PROXY as Fastify derives request.ip); a company key follows its own company only, asking for another
 * is FORBIDDEN; the admin key follows the companies it names, or every company.
 */
@Injectable()
export class LiveAccess {
  constructor(
    private readonly authenticator: ApiKeyAuthenticator,
    @Inject(httpConfig.KEY) private readonly http: HttpConfig,
  ) {}

  async admit(handshake: LiveHandshake): Promise<LiveSubscription> {
    const address = clientAddress(handshake.address, handshake.headers['x-forwarded-for'], this.http.trustProxy);
    const principal = await this.authenticator.authenticate(presentedKey(handshake), address);
    const { companies, types } = requestedScope(handshake.auth);
    if (principal.kind === 'admin') return { holder: ALL_COMPANIES, rooms: roomsToJoin(companies ?? ALL_COMPANIES, types) };
    if (companies?.some((company) => company !== principal.company)) throw AuthException.forbidden();
    return { holder: principal.company, rooms: roomsToJoin([principal.company], types) };
  }
}
