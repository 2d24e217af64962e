// The SmsSender contract: what reaches the provider is exactly what the domain asked to send.
import { describe, expect, it } from 'vitest';
import type { SmsMessage, SmsSender } from '../../src/ports/sms-sender.ts';

export interface SmsSenderHarness {
  /** A sender and a way to read back what its destination received, in order. */
  fresh(): Promise<{ sender: SmsSender; received(): Promise<SmsMessage[]> }>;
}

export function smsSenderContract(name: string, harness: SmsSenderHarness) {
  describe(`SmsSender contract: ${name}`, () => {
    it('delivers the destination and the text unchanged, and says it was taken', async () => {
      const { sender, received } = await harness.fresh();
      const outcome = await sender.send({ to: '+14155552671', text: 'Your app code is 123456.' });
      expect(outcome.ok).toBe(true);
      if (outcome.ok) expect(outcome.messageId === null || typeof outcome.messageId === 'string').toBe(true);
      expect((await received()).map(({ to, text }) => ({ to, text }))).toEqual([{ to: '+14155552671', text: 'Your app code is 123456.' }]);
    });

    it('keeps line breaks and non-ASCII text intact', async () => {
      const { sender, received } = await harness.fresh();
      const text = 'Tu código de app es 123456.\n\n@example.com #123456';
      expect((await sender.send({ to: '+34612345678', text })).ok).toBe(true);
      expect((await received()).map((m) => m.text)).toEqual([text]);
    });

    it('sends several messages in order, each its own', async () => {
      const { sender, received } = await harness.fresh();
      for (const to of ['+14155550001', '+14155550002', '+14155550003']) {
        expect((await sender.send({ to, text: `hello ${to}` })).ok).toBe(true);
      }
      expect((await received()).map((m) => m.to)).toEqual(['+14155550001', '+14155550002', '+14155550003']);
    });
  });
}
