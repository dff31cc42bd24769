import type { TwilioAccount } from '../../core/config/configuration';
import { fetchMedia } from '../media-fetch';
import { ProviderSendError } from '../provider-send.error';
import type { DownloadedMedia, MediaDownloadLimits, MediaDownloadRequest } from '../provider.port';
import { rewriteTwilioUri } from './twilio-http-client';

const TWILIO_URL = /^https:\/\/(?:[a-z0-9-]+\.)*twilio\.com\//i;

export interface TwilioMediaSettings {
  /** Tests only: the stand-in for Twilio's API (as TWILIO_API_BASE_URL). */
  apiBaseUrl?: string;
  allowPrivate: boolean;
}

/**
 * Fetches an inbound message's MediaUrl with the account's credentials (HTTP basic auth), which are sent to
 * Twilio's own origin only: Twilio redirects to a signed URL elsewhere, which gets no credentials.
 */
export async function downloadTwilioMedia(
  account: TwilioAccount,
  request: MediaDownloadRequest,
  limits: MediaDownloadLimits,
  settings: TwilioMediaSettings,
): Promise<DownloadedMedia> {
  const { source } = request;
  if (source.via !== 'url') throw new ProviderSendError(`twilio cannot download media by ${source.via}`, true);
  if (!TWILIO_URL.test(source.url)) throw new ProviderSendError('media URL is not a twilio.com URL', true);
  const url = settings.apiBaseUrl ? rewriteTwilioUri(source.url, settings.apiBaseUrl) : source.url;
  const authorization = `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}`;
  const fetched = await fetchMedia(url, { ...limits, allowPrivate: settings.allowPrivate }, { headers: { Authorization: authorization } });
  return { data: fetched.data, mimeType: fetched.mimeType };
}
