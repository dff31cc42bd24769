import { RequestClient } from 'twilio';
import type SdkRequestClient from 'twilio/lib/base/RequestClient';
import type SdkResponse from 'twilio/lib/http/response';

const TWILIO_ORIGIN = /^https:\/\/(?:[a-z0-9-]+\.)*twilio\.com(?=[/?#]|$)/i;

/** `https://api.twilio.com/2010-04-01/…` becomes `<baseUrl>/2010-04-01/…`; other URLs are left alone. */
export function rewriteTwilioUri(uri: string, baseUrl: string): string {
  return uri.replace(TWILIO_ORIGIN, baseUrl.replace(/\/+$/, ''));
}

/**
 * The SDK's own HTTP client, sending to a stand-in for Twilio's API (tests only): the SDK still builds,
 * authenticates and parses every request, only the origin changes.
 */
export class TwilioHttpClient extends RequestClient {
  constructor(private readonly baseUrl: string) {
    // No idle keep-alive sockets left behind when the stand-in server closes.
    super({ keepAlive: false });
  }

  override request<TData>(opts: SdkRequestClient.RequestOptions<TData>): Promise<SdkResponse<TData>> {
    return super.request({ ...opts, uri: rewriteTwilioUri(opts.uri, this.baseUrl) });
  }
}
