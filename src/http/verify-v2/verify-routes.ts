// The Twilio Verify v2 routes: a second HTTP adapter over the same use cases as /v1, with
// Twilio's form bodies, JSON shapes, ids, statuses and errors, so the twilio SDK works unchanged.
import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { VerificationView } from '../../application/get-verification.ts';
import type { Verifier } from '../../application/verifier.ts';
import { fail } from '../../domain/errors.ts';
import { CHANNELS, type Channel } from '../../domain/verification/channel.ts';
import type { Logger } from '../../ports/logger.ts';
import { logUnexpected } from '../answer.ts';
import { type ServedService, serviceIndex } from '../served-service.ts';
import { basicAuth } from './basic-auth.ts';
import { CheckForm, formBody, StartForm, UpdateForm } from './forms.ts';
import { verifyV2Error } from './v2-errors.ts';
import type { VerificationSids } from './verification-sid.ts';
import type { VerifyEnv } from './verify-env.ts';

export interface VerifyRouteDeps {
  /** The services these routes answer to; any other id answers 20404. */
  readonly services: readonly ServedService[];
  readonly sids: VerificationSids;
  readonly apiKeys: readonly string[];
  readonly logger: Logger;
  /** The service clock's time, for the `date_updated` of checks and cancels. */
  readonly now: () => Date;
}

type TwilioStatus = 'pending' | 'approved' | 'canceled' | 'max_attempts_reached' | 'expired' | 'failed';

const STATUS_OF: Record<VerificationView['status'], TwilioStatus> = {
  pending: 'pending',
  approved: 'approved',
  expired: 'expired',
  locked: 'max_attempts_reached',
};

/** What a send's answer is derived from: its number and when it was sent. */
type Sent = Pick<VerificationView, 'phone' | 'createdAt'> & Partial<Pick<VerificationView, 'sendAttempts'>>;

/** Twilio's timestamps: ISO 8601 in UTC, to the second. */
const twilioDate = (date: Date) => `${date.toISOString().slice(0, 19)}Z`;

/** The routes under /v2, guarded by HTTP Basic. */
export function verifyRoutes(deps: VerifyRouteDeps) {
  const { sids, logger, now } = deps;
  const serviceOf = serviceIndex(deps.services);
  const serviceUrl = (c: Context<VerifyEnv>) => `${new URL(c.req.url).origin}/v2/Services/${c.get('service').sid}`;
  const notFound = (c: Context) =>
    verifyV2Error(
      c,
      fail('NOT_FOUND', `The requested resource ${new URL(c.req.url).pathname.slice(0, 120)} was not found`).error,
      logger,
    );

  /** The verification a path's `{Sid}` names: a VE id of the current send, or (as Twilio allows) the `To` number. */
  const lookUp = async (verifier: Verifier, sidOrPhone: string) => {
    const phone = sidOrPhone.startsWith('VE') ? await sids.phoneOf(sidOrPhone) : sidOrPhone;
    if (phone === null) return fail('NOT_FOUND', `No verification ${sidOrPhone.slice(0, 40)}.`);
    const found = await verifier.get(phone);
    if (!found.ok) return found;
    if (sidOrPhone.startsWith('VE') && !(await sids.matches(sidOrPhone, found.value.phone, found.value.createdAt))) {
      return fail('NOT_FOUND', `No verification ${sidOrPhone}: a newer code has replaced it.`);
    }
    return found;
  };

  /** The fields a verification and a check share; `url` is the verification's own. */
  const resource = async (c: Context<VerifyEnv>, view: Sent, status: TwilioStatus, updatedAt: Date) => {
    const sid = await sids.sidFor(view.phone, view.createdAt);
    return {
      sid,
      service_sid: c.get('service').sid,
      account_sid: c.get('accountSid'),
      to: view.phone,
      // The channel of its latest send, as Twilio's resource shows it.
      channel: view.sendAttempts?.at(-1)?.channel ?? 'sms',
      status,
      valid: status === 'approved',
      amount: null,
      payee: null,
      date_created: twilioDate(view.createdAt),
      date_updated: twilioDate(updatedAt),
    };
  };

  const verification = async (c: Context<VerifyEnv>, view: Sent, status: TwilioStatus, updatedAt: Date) => {
    const common = await resource(c, view, status, updatedAt);
    return {
      ...common,
      lookup: { carrier: null },
      send_code_attempts: (view.sendAttempts ?? []).map((attempt, i) => ({
        time: twilioDate(attempt.time),
        channel: attempt.channel,
        attempt_sid: `VL${common.sid.slice(2, 32)}${i.toString(16).padStart(2, '0')}`,
      })),
      sna: null,
      url: `${serviceUrl(c)}/Verifications/${common.sid}`,
    };
  };

  const check = async (c: Context<VerifyEnv>, view: Sent, status: TwilioStatus, updatedAt: Date) => ({
    ...(await resource(c, view, status, updatedAt)),
    sna_attempts_error_codes: [],
  });

  const updatedAt = (view: VerificationView) => view.verifiedAt ?? view.delivery?.updatedAt ?? view.createdAt;

  const app = new Hono<VerifyEnv>();
  // Errors of these routes answer in Twilio's shape too, which the SDK reads.
  app.onError((error, c) => {
    if (error instanceof HTTPException && error.status === 400) {
      return verifyV2Error(
        c,
        fail('MALFORMED_REQUEST', 'Invalid parameter: the form body cannot be read.').error,
        logger,
      );
    }
    logUnexpected(c, error, logger);
    return verifyV2Error(
      c,
      fail('INTERNAL', 'Unexpected error; quote the request id when reporting it.').error,
      logger,
    );
  });
  app.use(basicAuth(deps.apiKeys, logger));
  for (const path of ['/Services/:serviceSid', '/Services/:serviceSid/*']) {
    app.use(path, async (c, next) => {
      const service = serviceOf(c.req.param('serviceSid'));
      if (!service) return notFound(c);
      c.set('service', service);
      await next();
    });
  }

  return app
    .get('/Services/:serviceSid', (c) => {
      const service = c.get('service');
      const url = serviceUrl(c);
      return c.json({
        sid: service.sid,
        account_sid: c.get('accountSid'),
        friendly_name: service.friendlyName,
        code_length: service.codeLength,
        lookup_enabled: false,
        psd2_enabled: false,
        skip_sms_to_landlines: true,
        dtmf_input_required: false,
        tts_name: null,
        do_not_share_warning_enabled: false,
        custom_code_enabled: service.customCodeEnabled,
        push: {},
        totp: {},
        passkeys: null,
        whatsapp: {},
        default_template_sid: null,
        verify_event_subscription_enabled: false,
        date_created: twilioDate(service.createdAt),
        date_updated: twilioDate(service.createdAt),
        url,
        links: { verifications: `${url}/Verifications`, verification_checks: `${url}/VerificationCheck` },
      });
    })
    .post('/Services/:serviceSid/Verifications', formBody(StartForm, logger), async (c) => {
      const form = c.req.valid('form');
      const service = c.get('service');
      const refused = refusedParameter(form, service.customCodeEnabled);
      if (refused) return verifyV2Error(c, fail('MALFORMED_REQUEST', refused).error, logger);
      const result = await service.verifier.start({
        phone: form.To,
        locale: form.Locale,
        ip: form.DeviceIp,
        code: form.CustomCode,
        appName: form.CustomFriendlyName,
        appHash: form.AppHash,
        channel: form.Channel as Channel,
      });
      if (!result.ok) return verifyV2Error(c, result.error, logger);
      return c.json(await verification(c, result.value, 'pending', result.value.createdAt), 201);
    })
    .post('/Services/:serviceSid/VerificationCheck', formBody(CheckForm, logger), async (c) => {
      const form = c.req.valid('form');
      const target = form.VerificationSid ?? form.To;
      if (target === undefined || (form.To !== undefined && form.VerificationSid !== undefined)) {
        const detail = "Invalid parameter: give either a 'To' number or a 'VerificationSid', not both.";
        return verifyV2Error(c, fail('MALFORMED_REQUEST', detail).error, logger);
      }
      // Read first, for the id and dates of the answer (and so a stale VE id checks nothing).
      const { verifier } = c.get('service');
      const found = await lookUp(verifier, target);
      if (!found.ok) return verifyV2Error(c, found.error, logger);
      const view = found.value;
      const result = await verifier.check({ phone: view.phone, code: form.Code });
      if (result.ok) return c.json(await check(c, view, 'approved', result.value.verifiedAt), 200);
      if (result.error.name !== 'WRONG_CODE') return verifyV2Error(c, result.error, logger);
      // Twilio answers a wrong code as a check that is still pending, not as an error.
      return c.json(await check(c, view, 'pending', now()), 200);
    })
    .get('/Services/:serviceSid/Verifications/:sid', async (c) => {
      const found = await lookUp(c.get('service').verifier, c.req.param('sid'));
      if (!found.ok) return verifyV2Error(c, found.error, logger);
      return c.json(await verification(c, found.value, STATUS_OF[found.value.status], updatedAt(found.value)), 200);
    })
    .post('/Services/:serviceSid/Verifications/:sid', formBody(UpdateForm, logger), async (c) => {
      const { Status } = c.req.valid('form');
      if (Status !== 'canceled') {
        const detail =
          Status === 'approved'
            ? 'Invalid parameter Status: approving without a code is not offered; check the code with VerificationCheck.'
            : 'Invalid parameter Status: must be canceled.';
        return verifyV2Error(c, fail('MALFORMED_REQUEST', detail).error, logger);
      }
      const { verifier } = c.get('service');
      const found = await lookUp(verifier, c.req.param('sid'));
      if (!found.ok) return verifyV2Error(c, found.error, logger);
      // Only the send that was read: a new send between the read and the cancel is left alone.
      const cancelled = await verifier.cancel(found.value.phone, found.value.createdAt);
      if (!cancelled.ok) return verifyV2Error(c, cancelled.error, logger);
      return c.json(await verification(c, found.value, 'canceled', now()), 200);
    })
    .all('/*', notFound);
}

/** A send parameter that would change the code or the message, which the service does not offer. */
function refusedParameter(
  form: {
    Channel: string;
    CustomCode?: string | undefined;
    CustomMessage?: string | undefined;
    SendDigits?: string | undefined;
  },
  customCodes: boolean,
) {
  if (!(CHANNELS as readonly string[]).includes(form.Channel))
    return `Invalid parameter Channel: sms, call and whatsapp are offered, not ${form.Channel.slice(0, 20)}.`;
  if (form.CustomCode !== undefined && !customCodes)
    return 'Invalid parameter CustomCode: custom codes are not enabled for this service.';
  if (form.CustomMessage !== undefined)
    return 'Invalid parameter CustomMessage: the message comes from the service template.';
  if (form.SendDigits !== undefined) return 'Invalid parameter SendDigits: calls read the code; they dial no digits.';
  return null;
}
