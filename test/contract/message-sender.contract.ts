// The MessageSender contract: what reaches the provider is exactly what the domain asked to send.
import { describe, expect, it } from 'vitest';
import type { MessageSender } from '../../src/ports/message-sender.ts';
import { itIfPromised } from './declared.ts';

/**
 * Makes the provider behind a fresh sender answer the next send with a refusal of the destination
 * (a number it will never deliver to) or with a failure (it did not take the message). A sender
 * whose provider cannot refuse or fail (the console) leaves it out, and the suite says so.
 */
export interface ProviderFaults {
  refuseNext(): void;
  failNext(): void;
}

/** What a destination received. */
export interface Received {
  readonly to: string;
  readonly text: string;
}

export interface MessageSenderHarness {
  /** A sender and a way to read back what its destination received, in order. */
  fresh(): Promise<{ sender: MessageSender; received(): Promise<readonly Received[]>; faults?: ProviderFaults }>;
  readonly capabilities: {
    /** The provider can refuse a destination or fail (the harness then gives `faults`). */
    readonly canFail: boolean;
  };
  /** Why a capability is absent, printed in the skipped case's title. */
  readonly gaps?: { readonly canFail?: string };
  /** Cases only this sender has, run inside the suite. */
  additionalTests?(fresh: MessageSenderHarness['fresh']): void;
  /** For a sender over others (failover): the names its outcomes may carry; else its own name. */
  readonly answeringProviders?: readonly string[];
}

export function messageSenderContract(name: string, harness: MessageSenderHarness) {
  describe(`MessageSender contract: ${name}`, () => {
    it('declares a lower-case provider name and the sms channel', async () => {
      const { sender } = await harness.fresh();
      expect(sender.provider).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(sender.channels).toContain('sms');
    });

    it('delivers the destination and the text unchanged, and says it was taken, naming its provider', async () => {
      const { sender, received } = await harness.fresh();
      const outcome = await sender.send({ to: '+14155552671', text: 'Your app code is 123456.', channel: 'sms' });
      expect(outcome).toMatchObject({ ok: true });
      expect(harness.answeringProviders ?? [sender.provider]).toContain(outcome.provider);
      if (outcome.ok) expect(outcome.messageId === null || typeof outcome.messageId === 'string').toBe(true);
      expect((await received()).map(({ to, text }) => ({ to, text }))).toEqual([
        { to: '+14155552671', text: 'Your app code is 123456.' },
      ]);
    });

    it('keeps line breaks and non-ASCII text intact', async () => {
      const { sender, received } = await harness.fresh();
      const text = 'Tu código de app es 123456.\n\n@example.com #123456';
      expect((await sender.send({ to: '+34612345678', text, channel: 'sms' })).ok).toBe(true);
      expect((await received()).map((m) => m.text)).toEqual([text]);
    });

    it('sends several messages in order, each its own', async () => {
      const { sender, received } = await harness.fresh();
      for (const to of ['+14155550001', '+14155550002', '+14155550003']) {
        expect((await sender.send({ to, text: `hello ${to}`, channel: 'sms' })).ok).toBe(true);
      }
      expect((await received()).map((m) => m.to)).toEqual(['+14155550001', '+14155550002', '+14155550003']);
    });

    itIfPromised(harness.capabilities.canFail, harness.gaps?.canFail ?? '')(
      'tells a refused destination from a failed provider, and throws for neither',
      async () => {
        const { sender, received, faults } = await harness.fresh();
        if (!faults) throw new Error('the harness must give faults when it declares canFail');
        faults.refuseNext();
        const refused = await sender.send({ to: '+14155550001', text: 'one', channel: 'sms' });
        expect(harness.answeringProviders ?? [sender.provider]).toContain(refused.provider);
        expect(refused).toMatchObject({
          ok: false,
          reason: 'destination_refused',
          detail: expect.any(String),
        });
        faults.failNext();
        const failed = await sender.send({ to: '+14155550002', text: 'two', channel: 'sms' });
        expect(harness.answeringProviders ?? [sender.provider]).toContain(failed.provider);
        expect(failed).toMatchObject({
          ok: false,
          reason: 'provider_failed',
          detail: expect.any(String),
        });
        expect(await sender.send({ to: '+14155550003', text: 'three', channel: 'sms' })).toMatchObject({ ok: true });
        expect((await received()).map((m) => m.to)).toEqual(['+14155550003']);
      },
    );

    harness.additionalTests?.(harness.fresh);
  });
}
