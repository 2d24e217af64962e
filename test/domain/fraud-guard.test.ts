// Issue 13: the fraud guard blocks a prefix whose conversion collapses, on a manual clock.
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryFraudStore } from '../../src/adapters/keyed-stores/memory-fraud-store.ts';
import { conversionPrefix } from '../../src/domain/fraud/conversion.ts';
import { DEFAULT_FRAUD_POLICY, type FraudPolicy } from '../../src/domain/fraud/fraud-policy.ts';
import type { VerificationPolicy } from '../../src/domain/policy.ts';
import type { FraudStore } from '../../src/ports/fraud-store.ts';
import { createHarness } from '../support/harness.ts';
import { dropTestDbs, freshStores, mongo } from '../support/mongo-test-db.ts';
import { tally } from '../support/tally.ts';

/** Numbers of one conversion prefix (+141555): +1 415 55x xxxx. */
const pumped = (i: number) => `+1415555${String(2000 + i).padStart(4, '0')}`;
/** Numbers of other US prefixes, for the country's own conversion. */
const elsewhere = (i: number) => `+1${['212', '312', '646', '702'][i % 4]}555${String(1000 + i).padStart(4, '0')}`;

/** US numbers each in a range of its own (area code and exchange vary): spread pumping. */
const AREA_CODES = ['201', '212', '213', '305', '312', '415', '512', '617', '646', '702', '713', '818'];
const spread = (i: number) => {
  const area = AREA_CODES[i % AREA_CODES.length]!;
  // Exchanges 200, 210, … 990: the first two digits differ, so each number is in a range of its own.
  const exchange = 200 + 10 * (Math.floor(i / AREA_CODES.length) % 80);
  return `+1${area}${exchange}${String(1000 + (i % 9000)).padStart(4, '0')}`;
};

/** Static limits out of the way, so that only the fraud guard refuses. */
const open: Partial<VerificationPolicy> = {
  sendLimit: 1000,
  resendCooldownSeconds: 0,
  prefixSendLimit: 10_000,
  ipSendLimit: 10_000,
};

/** A fraud store for one test; every suite below runs on each. */
type FreshStore = () => Promise<FraudStore>;

async function guarded(fresh: FreshStore, fraud: Partial<FraudPolicy> = {}, policy: Partial<VerificationPolicy> = {}) {
  const inner = await fresh();
  const counted = { calls: 0 };
  const store: FraudStore = {
    ...inner,
    count: (change) => {
      counted.calls += 1;
      return inner.count(change);
    },
  };
  const h = await createHarness({
    policy: { ...open, ...policy, fraud: { ...DEFAULT_FRAUD_POLICY, ...fraud } },
    fraud: store,
  });
  const outcomes = async (phones: string[]) => {
    const results = [];
    for (const phone of phones) results.push(await h.verifier.start({ phone }));
    return results;
  };
  const codesOf = (results: Awaited<ReturnType<typeof h.verifier.start>>[]) =>
    results.map((r) => (r.ok ? 'sent' : r.error.name));
  const approve = async (phone: string) => {
    const code = h.sender.lastCode(phone)!;
    const result = await h.verifier.check({ phone, code });
    if (!result.ok) throw new Error(`check failed: ${result.error.name}`);
  };
  return { ...h, store, counted, outcomes, codesOf, approve };
}

it('takes the prefix as the number without its last five digits', () => {
  expect(conversionPrefix({ e164: '+14155552671', callingCode: '1' })).toBe('+141555');
  expect(conversionPrefix({ e164: '+447400123456', callingCode: '44' })).toBe('+4474001');
  expect(conversionPrefix({ e164: '+6831234', callingCode: '683' })).toBe('+6831');
});

const onServer = mongo.uri !== null;
afterAll(dropTestDbs);

fraudGuardSuite('memory', async () => createMemoryFraudStore());
describe.skipIf(!onServer)(`on MongoDB (${mongo.description})`, () => {
  fraudGuardSuite(`mongodb on ${mongo.kind}`, async () => (await freshStores()).fraud);
});

function fraudGuardSuite(name: string, fresh: FreshStore) {
  describe(`the fraud guard (${name})`, () => {
    it('lets FRAUD_MIN_SENDS sends to a prefix that never converts through, then refuses with SMS_015 and no SMS', async () => {
      const g = await guarded(fresh);
      const results = await g.outcomes(Array.from({ length: 50 }, (_, i) => pumped(i)));
      expect(tally(g.codesOf(results))).toEqual({ sent: 20, FRAUD_BLOCKED: 30 });
      expect(g.sender.sent).toHaveLength(20);
      const refusal = results[20]!;
      expect(refusal).toMatchObject({ ok: false, error: { name: 'FRAUD_BLOCKED', extra: { retryAfter: 43_200 } } });
      const blocked = g.events.filter((e) => e.type === 'fraud_blocked');
      expect(blocked).toEqual([
        expect.objectContaining({ prefix: '+141555', country: 'US', mode: 'block', sends: 20, approvals: 0 }),
      ]);
      expect(g.events.filter((e) => e.type === 'fraud_refused')).toHaveLength(30);
      // Other prefixes of the country are not touched.
      expect((await g.verifier.start({ phone: elsewhere(0) })).ok).toBe(true);
    });

    it('stops exactly the same sends when 50 arrive at once', async () => {
      const g = await guarded(fresh);
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => g.verifier.start({ phone: pumped(i) })));
      expect(tally(g.codesOf(results))).toEqual({ sent: 20, FRAUD_BLOCKED: 30 });
      expect(g.events.filter((e) => e.type === 'fraud_blocked')).toHaveLength(1);
    });

    it('charges no limit for a refused send, and ends the block after FRAUD_BLOCK_SECONDS', async () => {
      const g = await guarded(fresh, { blockSeconds: 3600 }, { sendLimit: 1 });
      await g.outcomes(Array.from({ length: 21 }, (_, i) => pumped(i)));
      expect(g.codesOf(await g.outcomes([pumped(30)]))).toEqual(['FRAUD_BLOCKED']);
      g.clock.advance(3599);
      expect(g.codesOf(await g.outcomes([pumped(30)]))).toEqual(['FRAUD_BLOCKED']);
      g.clock.advance(1);
      // Admitted by its phone limit of one: the refused sends charged nothing. The prefix's counts
      // started afresh when the block ended, so it takes another 20 failing sends to block it again.
      const after = await g.outcomes([pumped(30), ...Array.from({ length: 20 }, (_, i) => pumped(100 + i))]);
      expect(tally(g.codesOf(after))).toEqual({ sent: 20, FRAUD_BLOCKED: 1 });
    });

    it('never blocks a prefix whose people type their codes in', async () => {
      const g = await guarded(fresh);
      for (let i = 0; i < 60; i++) {
        const phone = pumped(i);
        expect(g.codesOf(await g.outcomes([phone]))).toEqual(['sent']);
        if (i % 4 !== 3) await g.approve(phone); // 75 % convert
      }
      expect(g.events.some((e) => e.type === 'fraud_blocked')).toBe(false);
    });

    it('counts no conversion for an approved code the caller chose: a custom-code service is blocked as any other', async () => {
      const g = await guarded(fresh, {}, { customCodes: true });
      const results = [];
      for (let i = 0; i < 30; i++) {
        const sent = await g.verifier.start({ phone: pumped(i), code: '424242' });
        results.push(sent);
        if (sent.ok) expect(await g.verifier.check({ phone: pumped(i), code: '424242' })).toMatchObject({ ok: true });
      }
      expect(tally(g.codesOf(results))).toEqual({ sent: 20, FRAUD_BLOCKED: 10 });
      // A generated code's approval still counts.
      const h = await guarded(fresh, {}, { customCodes: true });
      for (let i = 0; i < 30; i++) {
        expect(h.codesOf(await h.outcomes([pumped(i)]))).toEqual(['sent']);
        await h.approve(pumped(i));
      }
    });

    it('blocks a whole country for a bucket when its hour surges past FRAUD_COUNTRY_SURGE x its usual rate unconverted', async () => {
      const g = await guarded(fresh);
      // Spread pumping: every send to another range, so no range is ever judged.
      const results = await g.outcomes(Array.from({ length: 300 }, (_, i) => spread(i)));
      // No history: the usual rate is the floor, FRAUD_MIN_SENDS (20) an hour; 10 x 20 go out.
      expect(tally(g.codesOf(results))).toEqual({ sent: 201, FRAUD_BLOCKED: 99 });
      const blocked = g.events.filter((e) => e.type === 'fraud_blocked');
      expect(blocked).toEqual([expect.objectContaining({ prefix: 'US', country: 'US', mode: 'block', sends: 201 })]);
      expect(results[201]).toMatchObject({ error: { extra: { retryAfter: 3600 } } });
      // Other countries go on; the block ends after one bucket (an hour), and an operator can lift it.
      expect(g.codesOf(await g.outcomes(['+447911123456']))).toEqual(['sent']);
      g.clock.advance(3600);
      expect(g.codesOf(await g.outcomes([spread(400)]))).toEqual(['sent']);
    });

    // About 600 sends and approvals one after another: 27 s on FerretDB alone on this machine, so
    // its own timeout (a guard against a hang, not a measure of speed).
    it('lets a surge through that people convert, and judges a country with history by its own rate', async () => {
      const g = await guarded(fresh, { minSends: 5 });
      // 23 hours of 10 sends an hour, 70 % approved.
      let n = 0;
      for (let hour = 0; hour < 23; hour++) {
        for (let i = 0; i < 10; i++, n++) {
          await g.outcomes([spread(n)]);
          if (i < 7) await g.approve(spread(n));
        }
        g.clock.advance(3600);
      }
      // A launch: 120 in an hour (12 x the usual 10), converting 70 %: nothing refused.
      const launch = [];
      for (let i = 0; i < 120; i++, n++) {
        launch.push(...(await g.outcomes([spread(n)])));
        if (i % 10 < 7) await g.approve(spread(n));
      }
      expect(tally(g.codesOf(launch))).toEqual({ sent: 120 });
      g.clock.advance(3600);
      // Pumping the next hour: the 23 older buckets hold 22 x 10 + 120 sends, so the usual rate is
      // 340 / 23 (14.78) an hour: a send is refused once the hour already holds more than 10 x
      // that (147.8), so 148 go out.
      const pumpedHour = await g.outcomes(Array.from({ length: 200 }, () => spread(n++)));
      expect(tally(g.codesOf(pumpedHour))).toEqual({ sent: 148, FRAUD_BLOCKED: 52 });
    }, 120_000);

    it('counts the surge rule off with FRAUD_COUNTRY_SURGE=0', async () => {
      const g = await guarded(fresh, { countrySurge: 0 });
      expect(tally(g.codesOf(await g.outcomes(Array.from({ length: 300 }, (_, i) => spread(i)))))).toEqual({
        sent: 300,
      });
    });

    it('judges a prefix against the rest of its country: a country where few finish is not blocked wholesale', async () => {
      // The rest of the US converts 20 %.
      const low = await guarded(fresh);
      for (let i = 0; i < 40; i++) {
        await low.outcomes([elsewhere(i)]);
        if (i % 5 === 0) await low.approve(elsewhere(i));
      }
      // 2 of its first 21 sends approved (9.5 %): the rest of the US converts 20 %, so this is within
      // normal variation there.
      const prefixRun = async (g: typeof low) => {
        const results = [];
        for (let i = 0; i < 21; i++) {
          results.push(...(await g.outcomes([pumped(i)])));
          if (i < 2) await g.approve(pumped(i));
        }
        return g.codesOf([...results, ...(await g.outcomes([pumped(40)]))]);
      };
      expect(tally(await prefixRun(low))).toEqual({ sent: 22 });

      // Where the rest of the country converts 80 %, the same prefix is blocked.
      const high = await guarded(fresh);
      for (let i = 0; i < 40; i++) {
        await high.outcomes([elsewhere(i)]);
        if (i % 5 !== 0) await high.approve(elsewhere(i));
      }
      expect(tally(await prefixRun(high))).toEqual({ sent: 21, FRAUD_BLOCKED: 1 });
    });

    it('in monitor mode reports the would-be block once and refuses nothing', async () => {
      const g = await guarded(fresh, { mode: 'monitor' });
      const results = await g.outcomes(Array.from({ length: 50 }, (_, i) => pumped(i)));
      expect(tally(g.codesOf(results))).toEqual({ sent: 50 });
      expect(g.events.filter((e) => e.type === 'fraud_blocked')).toEqual([
        expect.objectContaining({ prefix: '+141555', mode: 'monitor', sends: 20 }),
      ]);
      expect(await g.verifier.listBlocks()).toMatchObject({
        ok: true,
        value: [{ prefix: '+141555', mode: 'monitor' }],
      });
    });

    it('with FRAUD_GUARD=off counts and refuses nothing', async () => {
      const g = await guarded(fresh, { mode: 'off' });
      expect(tally(g.codesOf(await g.outcomes(Array.from({ length: 30 }, (_, i) => pumped(i)))))).toEqual({ sent: 30 });
      expect(g.counted.calls).toBe(0);
    });

    it('lets safe-listed numbers and prefixes through, uncounted, even from countries left out', async () => {
      const g = await guarded(fresh, { safeList: ['+141555*', '+447911123456'] }, { allowedCountries: ['US'] });
      expect(tally(g.codesOf(await g.outcomes(Array.from({ length: 30 }, (_, i) => pumped(i)))))).toEqual({ sent: 30 });
      expect(g.codesOf(await g.outcomes(['+447911123456', '+447911123457']))).toEqual(['sent', 'COUNTRY_NOT_ALLOWED']);
      const code = g.sender.lastCode('+447911123456')!;
      expect(await g.verifier.check({ phone: '+447911123456', code })).toMatchObject({ ok: true });
      expect(g.counted.calls).toBe(0);
    });

    it('matches a safe-listed whole number only itself: a longer number under it is judged as any other', async () => {
      const g = await guarded(fresh, { safeList: ['+4930123456'] }, { allowedCountries: ['US'] });
      expect(g.codesOf(await g.outcomes(['+4930123456', '+49301234567', '+493012345678']))).toEqual([
        'sent',
        'COUNTRY_NOT_ALLOWED',
        'COUNTRY_NOT_ALLOWED',
      ]);
    });

    it('never blocks a TEST_CODES number, even in a blocked prefix', async () => {
      const g = await guarded(fresh, {}, { testCodes: new Map([[pumped(99), '123456']]) });
      await g.outcomes(Array.from({ length: 21 }, (_, i) => pumped(i)));
      expect(g.codesOf(await g.outcomes([pumped(50), pumped(99)]))).toEqual(['FRAUD_BLOCKED', 'sent']);
      expect(await g.verifier.check({ phone: pumped(99), code: '123456' })).toMatchObject({ ok: true });
    });

    it('applies per-country rules: allow is never blocked, monitor only reports, block gets no codes', async () => {
      const rules = new Map([
        ['US', 'allow'],
        ['GB', 'monitor'],
        ['DE', 'block'],
      ] as const);
      const g = await guarded(fresh, { countryRules: rules });
      expect(tally(g.codesOf(await g.outcomes(Array.from({ length: 30 }, (_, i) => pumped(i)))))).toEqual({ sent: 30 });
      const british = Array.from({ length: 30 }, (_, i) => `+447400123${String(100 + i)}`);
      expect(tally(g.codesOf(await g.outcomes(british)))).toEqual({ sent: 30 });
      expect(g.events.filter((e) => e.type === 'fraud_blocked')).toEqual([
        expect.objectContaining({ country: 'GB', mode: 'monitor' }),
      ]);
      expect(g.codesOf(await g.outcomes(['+4915112345678']))).toEqual(['COUNTRY_NOT_ALLOWED']);
      expect(await g.verifier.check({ phone: '+4915112345678', code: '123456' })).toMatchObject({
        ok: false,
        error: { name: 'COUNTRY_NOT_ALLOWED' },
      });
    });

    it('counts only sends the provider took: failures and refused destinations do not lower conversion', async () => {
      const g = await guarded(fresh);
      g.sender.failNext({ ok: false, reason: 'provider_failed', providerCode: '20429', detail: 'busy' }, 15);
      g.sender.failNext({ ok: false, reason: 'destination_refused', providerCode: '21211', detail: 'invalid' }, 15);
      const results = await g.outcomes(Array.from({ length: 50 }, (_, i) => pumped(i)));
      expect(tally(g.codesOf(results))).toEqual({ PROVIDER_FAILED: 15, DESTINATION_REFUSED: 15, sent: 20 });
      expect(g.codesOf(await g.outcomes([pumped(60)]))).toEqual(['FRAUD_BLOCKED']);
    });

    it('lifts a block early: the prefix gets codes again, and its counts start afresh', async () => {
      const g = await guarded(fresh);
      await g.outcomes(Array.from({ length: 21 }, (_, i) => pumped(i)));
      expect(await g.verifier.listBlocks()).toMatchObject({ ok: true, value: [{ prefix: '+141555', sends: 20 }] });
      expect(await g.verifier.liftBlock('+141555')).toMatchObject({ ok: true, value: { prefix: '+141555' } });
      expect(g.events.filter((e) => e.type === 'fraud_lifted')).toHaveLength(1);
      expect(await g.verifier.liftBlock('+141555')).toMatchObject({
        ok: false,
        error: { name: 'FRAUD_BLOCK_NOT_FOUND' },
      });
      expect(await g.verifier.liftBlock('141555')).toMatchObject({ ok: false, error: { name: 'MALFORMED_REQUEST' } });
      expect(await g.verifier.listBlocks()).toEqual({ ok: true, value: [] });
      const after = await g.outcomes(Array.from({ length: 21 }, (_, i) => pumped(100 + i)));
      expect(tally(g.codesOf(after))).toEqual({ sent: 20, FRAUD_BLOCKED: 1 });
    });
  });
}
