export const TWILIO_WEBHOOK_PATH = 'webhooks/twilio';

/** The URL Twilio calls for a company, and signs: it must match what the webhook checks. */
export function twilioWebhookUrl(publicBaseUrl: string, company: string): string {
  return `${publicBaseUrl}/${TWILIO_WEBHOOK_PATH}/${encodeURIComponent(company)}`;
}
