// Every log line of full flows, success and failure, with the real logger: no code, whole phone or secret.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { composeService } from '../../src/compose.ts';
import { parseSettings } from '../../src/config/settings.ts';
import { LOG_REDACT_PATHS } from '../../src/logging/redact-paths.ts';
import { StoreUnavailableError } from '../../src/ports/store-unavailable.ts';
import { createHarness, PHONE, SECRET } from '../support/harness.ts';
import { call, phonePath } from '../support/http.ts';

const API_KEY = 'api-key-0123456789abcdef';
const CODE_SECRET = 'code-secret-0123456789abcdef';

function capturingLogger() {
  const lines: string[] = [];
  const logger = pino(
    { level: 'trace', redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } },
    { write: (line: string) => void lines.push(line) },
  );
  return { logger, lines };
}

describe('log safety', () => {
  it('writes no code, no whole phone and no secret in any line of a full flow', async () => {
    const { logger, lines } = capturingLogger();
    const loaded = parseSettings({
      API_KEYS: API_KEY,
      CODE_SECRET,
      CODE_LENGTH: '8',
      RESEND_COOLDOWN_SECONDS: '0',
      SEND_LIMIT: '2',
    });
    if (!loaded.ok) throw new Error(loaded.errors.join());
    const sms: string[] = [];
    const service = await composeService(loaded.settings, { logger, writeSms: (line) => sms.push(line) });
    const auth = { Authorization: `Bearer ${API_KEY}` };
    const codes: string[] = [];
    const send = async () => {
      await call(service.app, 'POST', '/v1/verifications', { phone: PHONE, ip: '203.0.113.7' }, auth);
      codes.push(/code is (\d{8})/.exec(sms.at(-1)!)![1]!);
    };
    await send();
    await call(service.app, 'POST', '/v1/verifications/check', { phone: PHONE, code: '00000000' }, auth);
    await call(service.app, 'POST', '/v1/verifications/check', { phone: PHONE, code: codes[0] }, auth);
    await call(service.app, 'GET', phonePath(PHONE), undefined, auth);
    await send();
    await call(service.app, 'POST', '/v1/verifications', { phone: PHONE }, auth);
    for (let i = 0; i < 6; i++)
      await call(service.app, 'POST', '/v1/verifications/check', { phone: PHONE, code: '11111111' }, auth);
    await call(service.app, 'DELETE', phonePath(PHONE), undefined, auth);
    await call(service.app, 'GET', phonePath(PHONE), undefined, { Authorization: 'Bearer wrong-key-0123456789' });
    await service.close();

    expect(codes).toHaveLength(2);
    const text = lines.join('');
    for (const event of ['sent', 'approved', 'wrong_code', 'lockout', 'locked', 'rate_limited', 'cancelled'])
      expect(text).toContain(`"event":"${event}"`);
    expect(text).toContain('…2671');
    assertClean(text, [...codes, CODE_SECRET, API_KEY]);
  });

  it('keeps failures clean too: store outages and unexpected errors', async () => {
    const { logger, lines } = capturingLogger();
    const h = await createHarness({ app: { logger } });
    const code = await h.sendCode();
    h.codes.get = async () => {
      throw new StoreUnavailableError('test', { cause: new Error('server at 127.0.0.1:27017 refused') });
    };
    expect((await call(h.app, 'POST', '/v1/verifications/check', { phone: PHONE, code })).status).toBe(503);
    h.codes.get = async () => {
      throw new Error('bug');
    };
    expect((await call(h.app, 'GET', phonePath(PHONE))).status).toBe(500);
    const text = lines.join('');
    expect(text).toContain('refused');
    expect(text).toContain('"message":"bug"');
    assertClean(text, [code, SECRET]);
  });

  it('redacts forbidden fields even when a caller logs them by mistake', () => {
    const { logger, lines } = capturingLogger();
    logger.info(
      { phone: PHONE, code: '123456', nested: { to: PHONE, text: 'code 123456', secret: CODE_SECRET } },
      'oops',
    );
    assertClean(lines.join(''), ['123456', CODE_SECRET]);
  });
});

function assertClean(text: string, secrets: string[]) {
  expect(text.length).toBeGreaterThan(0);
  expect(text).not.toContain(PHONE);
  expect(text).not.toContain(PHONE.slice(1));
  expect(text).not.toContain('4155552');
  for (const secret of secrets) expect(text).not.toContain(secret);
}
