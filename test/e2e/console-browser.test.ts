// The operator console in a real browser (Debian's Chromium through playwright-core), seeded by a
// real run: sign in, charts drawn from the data, lift a block, add to the safe list, no outside
// request, and no serious accessibility violation (axe).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, type ServiceProcess, startService } from '../support/service-process.ts';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available)
  console.log(
    `[skip] console browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run does)`,
  );
const ADMIN_KEY = 'console-admin-key-0123456789';
/** Screenshots for a person to look at, beside the test output. */
const SHOTS = join(process.env['TMPDIR'] ?? '/tmp', 'sms-verify-console');

describe.skipIf(!available)('GET /console in Chromium', () => {
  let service: ServiceProcess;
  let browser: Browser;
  let page: Page;
  const outside: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    service = await startService({ ADMIN_API_KEYS: ADMIN_KEY, FRAUD_MIN_SENDS: '3', RESEND_COOLDOWN_SECONDS: '0' });
    // A seeded run: three US sends that nobody approves (the fourth to the prefix finds them and
    // blocks it: FRAUD_MIN_SENDS=3), two GB sends of which one is approved.
    const statuses: number[] = [];
    for (const phone of ['+14155550301', '+14155550302', '+14155550303', '+14155550304'])
      statuses.push((await postJson(service, '/v1/verifications', { phone })).status);
    expect(statuses).toEqual([201, 201, 201, 403]);
    for (const phone of ['+447400123456', '+447400123457']) await postJson(service, '/v1/verifications', { phone });
    const line = await service.waitFor(/^\[sms\] to=\+447400123456 /);
    await postJson(service, '/v1/verifications/check', {
      phone: '+447400123456',
      code: /code is (\d+)/.exec(line)![1],
    });
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
    page = await (await browser.newContext()).newPage();
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1') return route.continue();
      outside.push(url.href);
      return route.abort();
    });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('signs in with the admin key, kept in session storage and never in the URL', async () => {
    const started = Date.now();
    await page.goto(`${service.url}/console`);
    // Reported, not asserted (timings vary on a shared machine): the page's own load time.
    const loaded = await page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd");
    console.log(`[console] page loaded in ${Math.round(Number(loaded))} ms`);
    await page.getByLabel('Admin API key').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('body[data-loaded="true"]').waitFor({ timeout: 10_000 });
    console.log(`[console] signed in and drawn in ${Date.now() - started} ms`);
    expect(page.url()).not.toContain(ADMIN_KEY);
    expect(await page.evaluate("sessionStorage.getItem('sms-verify-admin-key')")).toBe(ADMIN_KEY);
    await page.screenshot({ path: join(SHOTS, '1-overview.png'), fullPage: true });
  });

  it('draws conversion by country and channel from the seeded run', async () => {
    type Chart = { data: { labels: string[]; datasets: { data: number[] }[] } };
    const chart = (name: string) => page.evaluate(`window.consoleCharts['${name}'].data`) as Promise<Chart['data']>;
    const country = await chart('country');
    const week = country.datasets[1]!.data;
    // The week: US 3 sends (the refused fourth is no attempt), none approved; GB 2, one approved.
    expect(Object.fromEntries(country.labels.map((l, i) => [l, week[i]]))).toEqual({ US: 0, GB: 50 });
    const channel = (await chart('channel')).labels;
    expect(channel).toEqual(['sms']);
    expect(await page.locator('#attempts tr').count()).toBe(5);
    expect(await page.locator('#attempts').textContent()).not.toContain('4155550301');
  });

  it('lifts a block and sees it gone', async () => {
    await expect.poll(() => page.locator('#blocks tr').count()).toBe(1);
    await page.getByRole('button', { name: 'Lift +141555' }).click();
    await expect.poll(() => page.locator('#blocks tr').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, '2-block-lifted.png'), fullPage: true });
  });

  it('adds a number to the safe list and removes it', async () => {
    await page.getByLabel('Number or prefix (+4420*)').fill('+447400*');
    await page.getByRole('button', { name: 'Add' }).click();
    await expect.poll(() => page.locator('#safe-list').textContent()).toContain('+447400*');
    await page.screenshot({ path: join(SHOTS, '3-safe-list.png'), fullPage: true });
    await page.getByRole('button', { name: 'Remove +447400*' }).click();
    await expect.poll(() => page.locator('#safe-list tr').count()).toBe(0);
  });

  it('has no serious or critical accessibility violation (axe)', async () => {
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });

  it('made no request outside the service, and refuses a wrong key', async () => {
    expect(outside).toEqual([]);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin API key').fill('not-the-admin-key-0123');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#login-error').textContent()).toContain('refused');
    await page.screenshot({ path: join(SHOTS, '4-refused.png'), fullPage: true });
  });
});
