import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { validateRequest } from 'twilio';
import { providersConfig, type ProvidersConfig } from '../../core/config/configuration';
import { twilioAccountOf } from './twilio-account';
import { TwilioException } from './twilio.exception';

/**
 * Accepts a webhook only when `X-Twilio-Signature` was made with the auth token of the company in
 * the path, over the public URL Twilio called and the posted fields.
 */
@Injectable()
export class TwilioSignatureGuard implements CanActivate {
  constructor(@Inject(providersConfig.KEY) private readonly config: ProvidersConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest<{ Params: { company?: string } }>>();
    const account = twilioAccountOf(this.config, String(request.params.company));
    const signature = request.headers['x-twilio-signature'];
    if (!account || typeof signature !== 'string' || !this.isValid(account.authToken, signature, request)) throw TwilioException.forbidden();
    return true;
  }

  private isValid(authToken: string, signature: string, request: FastifyRequest): boolean {
    const params: unknown = request.body;
    const form = typeof params === 'object' && params !== null ? (params as Record<string, unknown>) : {};
    try {
      return validateRequest(authToken, signature, `${this.config.publicBaseUrl}${request.url}`, form);
    } catch {
      return false;
    }
  }
}
