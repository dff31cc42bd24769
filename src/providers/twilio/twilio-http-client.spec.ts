import { rewriteTwilioUri } from './twilio-http-client';

describe('rewriteTwilioUri', () => {
  const base = 'http://127.0.0.1:4010';

  it.each([
    ['https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json', `${base}/2010-04-01/Accounts/AC1/Messages.json`],
    ['https://messaging.twilio.com/v1/Services', `${base}/v1/Services`],
    ['https://api.sydney.au1.twilio.com/2010-04-01/Accounts.json?x=1', `${base}/2010-04-01/Accounts.json?x=1`],
    ['https://twilio.com', base],
  ])('sends %s to the stand-in', (uri, expected) => {
    expect(rewriteTwilioUri(uri, base)).toBe(expected);
    expect(rewriteTwilioUri(uri, `${base}/`)).toBe(expected);
  });

  it.each(['https://api.twilio.com.evil.example/x', 'https://nottwilio.com/x', 'http://api.twilio.com/x'])('leaves %s alone', (uri) => {
    expect(rewriteTwilioUri(uri, base)).toBe(uri);
  });
});
