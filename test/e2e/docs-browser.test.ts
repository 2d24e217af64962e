// /docs in a real browser (Debian's Chromium through playwright-core), with every outside request refused.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServiceProcess, startService } from '../support/service-process.ts';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available)
  console.log(`[skip] docs browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run does)`);

describe.skipIf(!available)('GET /docs in Chromium', () => {
  let service: ServiceProcess;
  let browser: Browser;
  beforeAll(async () => {
    service = await startService();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('renders the verification routes from files the service serves, with no outside request', async () => {
    const page = await browser.newPage();
    const outside: string[] = [];
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1') return route.continue();
      outside.push(url.href);
      return route.abort();
    });
    const failures: string[] = [];
    page.on('requestfailed', (r) => failures.push(r.url()));
    await page.goto(`${service.url}/docs`);
    await page.getByText('/v1/verifications/check', { exact: true }).waitFor({ timeout: 20_000 });
    const text = await page.locator('#docs').textContent();
    for (const route of ['/v1/verifications', '/v1/verifications/{phone}', 'Send a code', 'Check a code']) {
      expect(text).toContain(route);
    }
    // Grouped by tag, not all in Swagger UI's "default" group.
    const groups = await page
      .locator('h3.opblock-tag')
      .evaluateAll((headings) => headings.map((h) => h.getAttribute('data-tag')));
    expect(groups).toEqual(expect.arrayContaining(['Verifications', 'Services', 'Operator', 'Health']));
    expect(groups).not.toContain('default');
    expect(outside).toEqual([]);
    expect(failures).toEqual([]);
    await page.screenshot({ path: `${process.env['TMPDIR'] ?? '/tmp'}/sms-verify-docs.png` });
  });
});
