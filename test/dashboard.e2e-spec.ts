import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DASHBOARD_CSP } from '../src/dashboard/dashboard-assets';
import { ensureDashboardBuilt } from './support/dashboard-build';
import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';

const SCREENSHOTS = join(__dirname, '..', 'test-artifacts', 'dashboard');
const COMPANY = 'dash-co';
/** Browser steps each wait up to Playwright's 30 s; a whole scenario gets more than Jest's default on a loaded machine. */
const SCENARIO_MS = 120_000;

describe('operator dashboard in Debian Chromium (playwright-core; simulator, real database)', () => {
  let t: TestApp;
  let url: string;
  let browser: Browser;
  const problems: string[] = [];

  async function openPage(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    return page;
  }

  async function signIn(page: Page, key: string): Promise<void> {
    await page.goto(`${url}/dashboard`);
    await page.getByTestId('api-key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    ensureDashboardBuilt();
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await startTestApp({ SESSIONS_PROVIDER_OVERRIDE: 'simulator' });
    url = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    await t.admin('post', '/api/v1/companies').send({ slug: COMPANY, displayName: 'Dashboard Co', provider: 'whatsapp-web' }).expect(201);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--headless', '--disable-gpu'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('is served from the build with a strict Content-Security-Policy, and tells the page where the live stream is', async () => {
    const redirect = await t.http().get('/dashboard').expect(301);
    expect(redirect.headers.location).toBe('/dashboard/');
    const page = await t.http().get('/dashboard/').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    expect(page.text).toContain('<script src="./app.js" defer></script>');
    expect(page.text).not.toMatch(/<script>|https?:\/\//);
    const script = await t.http().get('/dashboard/app.js').expect(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect((await t.http().get('/dashboard/config.json').expect(200)).body).toEqual({ livePath: '/socket.io' });
  });

  it(
    'signs the admin in; a simulator session shows its QR, turns WORKING after a scan, and an inbound message and the charts appear',
    async () => {
      const page = await openPage();
      await signIn(page, ADMIN_KEY);
      await page.getByTestId('company-picker').selectOption(COMPANY);
      await page.locator('[data-testid="live-mode"][data-mode="live"]').waitFor();
      await page.locator(`[data-testid="health-${COMPANY}"]`, { hasText: 'up' }).waitFor();
      await shot(page, '01-signed-in');

      await page.getByTestId('new-session').fill('desk');
      await page.getByRole('button', { name: 'Create and start' }).click();
      const qr = page.locator('img[data-testid="qr-desk"][src^="data:image/png;base64,"]');
      await qr.waitFor({ state: 'visible' });
      await until(async () => (await qr.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth)) > 0, {
        what: 'the QR image decoded',
      });
      await page
        .getByTestId('link-desk')
        .getByPlaceholder(/Phone number/)
        .fill('+52 55 1234 5678');
      await page.getByRole('button', { name: 'Get pairing code' }).click();
      await page.getByTestId('pairing-desk').filter({ hasText: 'SIMU-LATE' }).waitFor();
      await shot(page, '02-qr-and-pairing-code');

      await t.admin('post', `/simulator/companies/${COMPANY}/sessions/desk/scan`).expect(204);
      await page.locator('[data-testid="status-desk"][data-status="WORKING"]').waitFor();
      await page.getByTestId('qr-desk').waitFor({ state: 'detached' });
      await shot(page, '03-working');

      await t
        .admin('post', `/simulator/companies/${COMPANY}/sessions/desk/inbound`)
        .send({ messages: [{ providerMessageId: 'dash-1', from: '+525512340000', text: 'Hola desde el simulador', senderName: 'Ana' }] })
        .expect(200);
      await page.locator('[data-testid="inbound-message"][data-provider-id="dash-1"]', { hasText: 'Hola desde el simulador' }).waitFor();

      await page.getByTestId('send').getByRole('textbox', { name: 'To' }).fill('+52 55 1234 5678');
      await page.getByTestId('send').getByRole('textbox', { name: 'Text' }).fill('Prueba desde el dashboard');
      await page.getByRole('button', { name: 'Send test message' }).click();
      await page
        .getByTestId('send-result')
        .filter({ hasText: /: (sent|delivered|read)$/ })
        .waitFor();
      await shot(page, '04-inbound-and-sent');

      const chart = page.getByTestId('chart-memory');
      await chart.locator('canvas').waitFor();
      expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThanOrEqual(1);
      // The page's DOM types are not the test's (no DOM lib here): the canvas is described by what is read.
      type Canvas = {
        width: number;
        height: number;
        getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
      };
      const painted = await chart.locator('canvas').evaluate((element) => {
        const canvas = element as unknown as Canvas;
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let count = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) count++;
        return count;
      });
      expect(painted).toBeGreaterThan(0);
      await page.getByTestId('charts').scrollIntoViewIfNeeded();
      await shot(page, '05-charts');
      expect(problems).toEqual([]);
      await page.close();
    },
    SCENARIO_MS,
  );

  it(
    'falls back to polling the replay API when the live stream cannot connect',
    async () => {
      const page = await openPage();
      // Every Socket.IO websocket of this page is closed before it reaches the server.
      await page.routeWebSocket(/\/socket\.io\//, (socket) => void socket.close());
      await signIn(page, ADMIN_KEY);
      await page.getByTestId('company-picker').selectOption(COMPANY);
      await page.locator('[data-testid="live-mode"][data-mode="polling"]').waitFor();
      await t
        .admin('post', `/simulator/companies/${COMPANY}/sessions/desk/inbound`)
        .send({ messages: [{ providerMessageId: 'dash-2', from: '+525512340000', text: 'Llegó por el replay', senderName: 'Ana' }] })
        .expect(200);
      await page.locator('[data-testid="inbound-message"][data-provider-id="dash-2"]', { hasText: 'Llegó por el replay' }).waitFor();
      expect(await page.locator('[data-testid="inbound-message"][data-provider-id="dash-1"]').count()).toBe(0);
      await shot(page, '06-polling-fallback');
      expect(problems.filter((problem) => !/WebSocket/.test(problem))).toEqual([]);
      problems.length = 0;
      await page.close();
    },
    SCENARIO_MS,
  );

  it(
    'signs a company key in to its own company only; a wrong key stays on the login',
    async () => {
      const key = await t.createCompanyKey(COMPANY);
      const page = await openPage();
      await signIn(page, 'vv_wrong_' + 'x'.repeat(40));
      await page
        .getByRole('alert')
        .filter({ hasText: /API key/ })
        .waitFor();
      problems.length = 0;
      await page.getByTestId('api-key').fill(key);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('[data-testid="status-desk"][data-status="WORKING"]').waitFor();
      expect(await page.getByTestId('company-picker').count()).toBe(0);
      await until(async () => (await page.locator('[data-testid^="company-"]').count()) === 1, { what: 'one company row' });
      await page.getByTestId(`company-${COMPANY}`).waitFor();
      await shot(page, '07-company-key');
      expect(problems).toEqual([]);
      await page.close();
    },
    SCENARIO_MS,
  );
});
