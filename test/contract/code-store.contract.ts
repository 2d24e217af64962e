// The CodeStore contract: every behaviour the domain relies on, run against every adapter.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { CodeStore, TakenSend } from '../../src/ports/code-store.ts';
import { aRecord, at, T0 } from '../support/records.ts';

export interface CodeStoreHarness {
  /** A store with no records. */
  fresh(): Promise<CodeStore>;
  /** Cases only this store has, run inside the suite with a fresh store each. */
  additionalTests?(fresh: () => Promise<CodeStore>): void;
  close?(): Promise<void>;
}

/** What a provider took: message `messageId` by `provider` (recording, unless named) at `time`. */
const sent = (messageId: string | null, time: Date, provider = 'recording'): TakenSend => ({
  attempt: { channel: 'sms', provider, time },
  messageId,
});

export function codeStoreContract(name: string, harness: CodeStoreHarness) {
  describe(`CodeStore contract: ${name}`, () => {
    let store: CodeStore;
    beforeEach(async () => {
      store = await harness.fresh();
    });
    afterAll(async () => {
      await harness.close?.();
    });

    it('has nothing for an unknown phone', async () => {
      expect(await store.get('+14155550000', T0)).toBeNull();
    });

    it('returns what was put, dates included, to the millisecond', async () => {
      const record = aRecord({ createdAt: new Date('2026-03-01T12:00:00.123Z') });
      await store.put(record);
      expect(await store.get(record.phone, T0)).toEqual(record);
    });

    it('keeps one record per phone: a put replaces the previous one', async () => {
      const first = aRecord();
      await store.put(first);
      await store.recordWrongCheck(first.phone, first.id, 5, T0);
      const second = aRecord();
      await store.put(second);
      expect(await store.get(first.phone, T0)).toEqual(second);
    });

    it('answers what a put replaced, as it was stored', async () => {
      const first = aRecord({ customCode: true });
      expect(await store.put(first)).toBeNull();
      await store.recordWrongCheck(first.phone, first.id, 5, T0);
      expect(await store.put(aRecord({ phone: first.phone }))).toEqual({ ...first, attempts: 1 });
    });

    it('restores what a send replaced, only while that send is stored', async () => {
      const first = aRecord();
      await store.put(first);
      await store.recordSend(first.phone, first.id, sent('SM-first', at(0)));
      await store.recordWrongCheck(first.phone, first.id, 5, T0);
      const kept = await store.get(first.phone, T0);
      const failed = aRecord({ phone: first.phone });
      const replaced = await store.put(failed);
      expect(await store.restore(first.phone, 'another-send', replaced)).toBe(false);
      expect(await store.get(first.phone, T0)).toEqual(failed);
      expect(await store.restore(first.phone, failed.id, replaced)).toBe(true);
      expect(await store.get(first.phone, T0)).toEqual(kept);
      expect(await store.restore(first.phone, failed.id, replaced)).toBe(false);
      // The restored send keeps its message id, so its delivery callbacks still land.
      expect(await store.recordDelivery('SM-first', { status: 'delivered', updatedAt: at(1) })).toBe(true);
    });

    it('restores "no verification" by deleting the failed send, and leaves a newer send alone', async () => {
      const failed = aRecord();
      expect(await store.put(failed)).toBeNull();
      expect(await store.restore(failed.phone, failed.id, null)).toBe(true);
      expect(await store.get(failed.phone, T0)).toBeNull();
      const again = aRecord({ phone: failed.phone });
      await store.put(again);
      const newer = aRecord({ phone: failed.phone });
      await store.put(newer);
      expect(await store.restore(failed.phone, again.id, null)).toBe(false);
      expect(await store.get(failed.phone, T0)).toEqual(newer);
    });

    it('keeps phones apart', async () => {
      const a = aRecord({ phone: '+14155550001' });
      const b = aRecord({ phone: '+14155550002' });
      await store.put(a);
      await store.put(b);
      await store.recordWrongCheck(a.phone, a.id, 5, T0);
      expect((await store.get(b.phone, T0))?.attempts).toBe(0);
      expect((await store.get(a.phone, T0))?.attempts).toBe(1);
    });

    it('returns an expired code until purgeAt, then nothing, even while it is still stored', async () => {
      const record = aRecord();
      await store.put(record);
      expect(await store.get(record.phone, at(601))).toEqual(record);
      expect(await store.get(record.phone, at(1199.999))).toEqual(record);
      expect(await store.get(record.phone, at(1200))).toBeNull();
    });

    it('counts wrong checks up to the cap and no further', async () => {
      const record = aRecord();
      await store.put(record);
      const counts = [];
      for (let i = 0; i < 7; i++) counts.push(await store.recordWrongCheck(record.phone, record.id, 5, T0));
      expect(counts).toEqual([1, 2, 3, 4, 5, null, null]);
      expect((await store.get(record.phone, T0))?.attempts).toBe(5);
    });

    it('counts no wrong check for another send id, an expired code or an approved one', async () => {
      const record = aRecord();
      await store.put(record);
      expect(await store.recordWrongCheck(record.phone, 'other-send', 5, T0)).toBeNull();
      expect(await store.recordWrongCheck(record.phone, record.id, 5, at(600))).toBeNull();
      expect(await store.recordWrongCheck('+14155550000', record.id, 5, T0)).toBeNull();
      expect(await store.approve(record.phone, record.id, 5, at(1), at(1000))).toBe(true);
      expect(await store.recordWrongCheck(record.phone, record.id, 5, at(2))).toBeNull();
      expect((await store.get(record.phone, at(2)))?.attempts).toBe(0);
    });

    it('approves once, recording when and until when', async () => {
      const record = aRecord();
      await store.put(record);
      expect(await store.approve(record.phone, record.id, 5, at(10), at(86_410))).toBe(true);
      expect(await store.approve(record.phone, record.id, 5, at(11), at(86_411))).toBe(false);
      const stored = await store.get(record.phone, at(1300));
      expect(stored).toMatchObject({ verified: true, verifiedAt: at(10), purgeAt: at(86_410) });
    });

    it('does not approve another send id, a locked code or an expired one', async () => {
      const record = aRecord();
      await store.put(record);
      expect(await store.approve(record.phone, 'other-send', 5, T0, at(100))).toBe(false);
      expect(await store.approve(record.phone, record.id, 5, at(600), at(700))).toBe(false);
      for (let i = 0; i < 5; i++) await store.recordWrongCheck(record.phone, record.id, 5, T0);
      expect(await store.approve(record.phone, record.id, 5, T0, at(100))).toBe(false);
      expect((await store.get(record.phone, T0))?.verified).toBe(false);
    });

    it('removes a record once', async () => {
      const record = aRecord();
      await store.put(record);
      expect(await store.remove(record.phone, T0)).toBe(true);
      expect(await store.get(record.phone, T0)).toBeNull();
      expect(await store.remove(record.phone, T0)).toBe(false);
    });

    it('removes by send id only while that send is stored: a newer send is left alone', async () => {
      const first = aRecord();
      await store.put(first);
      const second = aRecord({ phone: first.phone });
      await store.put(second);
      expect(await store.remove(first.phone, T0, first.id)).toBe(false);
      expect(await store.get(first.phone, T0)).toEqual(second);
      expect(await store.remove(first.phone, T0, second.id)).toBe(true);
      expect(await store.get(first.phone, T0)).toBeNull();
    });

    it('treats a record past purgeAt as absent when removing', async () => {
      const record = aRecord();
      await store.put(record);
      expect(await store.remove(record.phone, at(1200))).toBe(false);
    });

    it('moves a delivery forward only, ignoring duplicates and unknown messages', async () => {
      const record = aRecord();
      await store.put(record);
      expect(await store.recordSend(record.phone, record.id, sent('SM1', at(0.5)))).toBe(true);
      expect((await store.get(record.phone, at(1)))?.delivery).toEqual({
        status: 'queued',
        updatedAt: at(0.5),
        provider: 'recording',
      });
      expect(await store.recordDelivery('SM1', { status: 'queued', updatedAt: at(0.7) })).toBe(false);
      expect(await store.recordDelivery('SM1', { status: 'sent', updatedAt: at(1) })).toBe(true);
      expect(await store.recordDelivery('SM1', { status: 'sent', updatedAt: at(2) })).toBe(false);
      expect(await store.recordDelivery('SM1', { status: 'queued', updatedAt: at(3) })).toBe(false);
      expect(await store.recordDelivery('SM1', { status: 'undelivered', updatedAt: at(4), errorCode: '30003' })).toBe(
        true,
      );
      expect(await store.recordDelivery('SM1', { status: 'delivered', updatedAt: at(5) })).toBe(false);
      expect(await store.recordDelivery('SM-unknown', { status: 'sent', updatedAt: at(5) })).toBe(false);
      expect((await store.get(record.phone, at(6)))?.delivery).toEqual({
        status: 'undelivered',
        updatedAt: at(4),
        errorCode: '30003',
        provider: 'recording',
      });
    });

    it('appends each send to the attempts, tracks the newest message, and erases the sealed code at approval', async () => {
      const record = aRecord({ codeSealed: 'sealed-code', sendAttempts: [] });
      await store.put(record);
      expect(await store.recordSend(record.phone, record.id, sent(null, at(1), 'console'))).toBe(true);
      expect(await store.recordSend(record.phone, record.id, sent('M-2', at(31), 'twilio'))).toBe(true);
      expect(await store.recordSend(record.phone, 'another-send', sent('M-3', at(32)))).toBe(false);
      const stored = await store.get(record.phone, at(40));
      expect(stored?.sendAttempts).toEqual([
        { channel: 'sms', provider: 'console', time: at(1) },
        { channel: 'sms', provider: 'twilio', time: at(31) },
      ]);
      expect(stored).toMatchObject({ messageId: 'M-2', codeSealed: 'sealed-code' });
      expect(await store.approve(record.phone, record.id, 5, at(41), at(1000))).toBe(true);
      expect((await store.get(record.phone, at(42)))?.codeSealed).toBeNull();
    });

    it('erases the sealed code once the verification expires, and keeps the record for status reads', async () => {
      const pending = aRecord({ phone: '+14155550401', codeSealed: 'sealed-a', expiresAt: at(600) });
      const expired = aRecord({ phone: '+14155550402', codeSealed: 'sealed-b', expiresAt: at(300) });
      for (const r of [pending, expired]) await store.put(r);
      expect(await store.eraseExpiredSeals(at(299))).toBe(0);
      expect(await store.eraseExpiredSeals(at(300))).toBe(1);
      expect(await store.eraseExpiredSeals(at(301))).toBe(0);
      expect(await store.get(expired.phone, at(301))).toMatchObject({ id: expired.id, codeSealed: null });
      expect((await store.get(pending.phone, at(301)))?.codeSealed).toBe('sealed-a');
    });

    it('finds due workflow steps and lets exactly one of 20 racing claims take each', async () => {
      const due = aRecord({ phone: '+14155550301', step: 0, nextStepAt: at(60) });
      const later = aRecord({ phone: '+14155550302', step: 0, nextStepAt: at(120) });
      const approved = aRecord({ phone: '+14155550303', step: 0, nextStepAt: at(60) });
      const none = aRecord({ phone: '+14155550304', step: 0, nextStepAt: null });
      for (const r of [due, later, approved, none]) await store.put(r);
      await store.approve(approved.phone, approved.id, 5, at(1), at(1000));
      expect(await store.dueSteps(at(60), 5, 10)).toEqual([{ phone: due.phone, id: due.id, step: 0 }]);
      const claims = await Promise.all(
        Array.from({ length: 20 }, () => store.claimStep(due.phone, due.id, 0, at(60), at(120))),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await store.get(due.phone, at(61))).toMatchObject({ step: 1, nextStepAt: at(120) });
      expect(await store.claimStep(due.phone, due.id, 0, at(61), null)).toBe(false);
      expect((await store.dueSteps(at(120), 5, 10)).map((d) => d.phone).sort()).toEqual([due.phone, later.phone]);
    });

    it('makes the next step due at once when a message is reported undelivered', async () => {
      const record = aRecord({ step: 0, nextStepAt: at(600) });
      await store.put(record);
      await store.recordSend(record.phone, record.id, sent('M-u', at(1)));
      expect(await store.dueSteps(at(10), 5, 10)).toEqual([]);
      await store.recordDelivery('M-u', { status: 'undelivered', updatedAt: at(10) });
      expect(await store.dueSteps(at(10), 5, 10)).toEqual([{ phone: record.phone, id: record.id, step: 0 }]);
    });

    it('names the provider that took the message, and keeps it as the delivery moves', async () => {
      const record = aRecord();
      await store.put(record);
      expect(await store.recordSend(record.phone, record.id, sent('SM-p', at(0.5), 'vonage'))).toBe(true);
      expect((await store.get(record.phone, at(1)))?.delivery).toEqual({
        status: 'queued',
        updatedAt: at(0.5),
        provider: 'vonage',
      });
      expect(await store.recordDelivery('SM-p', { status: 'undelivered', updatedAt: at(2), errorCode: '30003' })).toBe(
        true,
      );
      expect((await store.get(record.phone, at(3)))?.delivery).toEqual({
        status: 'undelivered',
        updatedAt: at(2),
        errorCode: '30003',
        provider: 'vonage',
      });
    });

    it('does not give a replaced send the delivery of the old message', async () => {
      const old = aRecord();
      await store.put(old);
      await store.recordSend(old.phone, old.id, sent('SM-old', at(0)));
      const fresh = aRecord();
      await store.put(fresh);
      expect(await store.recordSend(old.phone, old.id, sent('SM-late', at(1)))).toBe(false);
      expect(await store.recordDelivery('SM-old', { status: 'delivered', updatedAt: at(1) })).toBe(false);
      expect((await store.get(fresh.phone, at(1)))?.delivery).toBeNull();
    });

    it('approves exactly once under 50 parallel approvals', async () => {
      const record = aRecord();
      await store.put(record);
      const results = await Promise.all(
        Array.from({ length: 50 }, () => store.approve(record.phone, record.id, 5, at(1), at(100))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('stops exactly at the cap under 50 parallel wrong checks', async () => {
      const record = aRecord();
      await store.put(record);
      const results = await Promise.all(
        Array.from({ length: 50 }, () => store.recordWrongCheck(record.phone, record.id, 5, at(1))),
      );
      expect(results.filter((r) => r !== null).sort()).toEqual([1, 2, 3, 4, 5]);
      expect((await store.get(record.phone, at(1)))?.attempts).toBe(5);
    });

    it('never approves past the cap when right and wrong checks race', async () => {
      const record = aRecord();
      await store.put(record);
      const wrong = Array.from({ length: 25 }, () => store.recordWrongCheck(record.phone, record.id, 5, at(1)));
      const right = Array.from({ length: 25 }, () => store.approve(record.phone, record.id, 5, at(1), at(100)));
      const [counted, approved] = await Promise.all([Promise.all(wrong), Promise.all(right)]);
      const stored = await store.get(record.phone, at(1));
      expect(approved.filter(Boolean).length).toBeLessThanOrEqual(1);
      expect(stored?.verified).toBe(approved.some(Boolean));
      expect(counted.filter((c) => c !== null).length).toBe(stored?.attempts);
      expect(stored!.attempts).toBeLessThanOrEqual(5);
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    harness.additionalTests?.(() => harness.fresh());
  });
}
