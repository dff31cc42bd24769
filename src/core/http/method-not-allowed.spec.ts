import { patternOf } from './method-not-allowed';

describe('patternOf', () => {
  it('matches route parameters as one path segment, wildcards as anything, a trailing slash or not', () => {
    const sessions = patternOf('/api/v1/companies/:company/sessions/:session/qr.png');
    expect(sessions.test('/api/v1/companies/acme/sessions/desk/qr.png')).toBe(true);
    expect(sessions.test('/api/v1/companies/acme/sessions/desk/qrXpng')).toBe(false);
    expect(sessions.test('/api/v1/companies/acme/x/sessions/desk/qr.png')).toBe(false);
    expect(patternOf('/docs/*').test('/docs/swagger-ui.css')).toBe(true);
    expect(patternOf('/api/v1/companies').test('/api/v1/companies/')).toBe(true);
    expect(patternOf('/api/v1/companies').test('/api/v1/companiesX')).toBe(false);
  });
});
