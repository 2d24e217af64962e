// The console sender against the MessageSender contract, reading its own output back.
import { describe, expect, it } from 'vitest';
import { createConsoleSender } from '../../src/adapters/console/console-sender.ts';
import { messageSenderContract } from '../contract/message-sender.contract.ts';

const LINE = /^\[sms\] to=(\+[0-9]+) text=(.*)$/;

messageSenderContract('console', {
  fresh: async () => {
    const lines: string[] = [];
    const sender = createConsoleSender((line) => lines.push(line));
    return {
      sender,
      received: async () =>
        lines.map((line) => {
          const [, to, text] = LINE.exec(line) ?? [];
          return { to: to!, text: text!.replace(/\\n/g, '\n') };
        }),
    };
  },
  capabilities: { canFail: false },
  gaps: { canFail: 'the console takes every message' },
});

describe('console sender output', () => {
  it('writes one line per message, newlines as the two characters \\n', async () => {
    const lines: string[] = [];
    await createConsoleSender((line) => lines.push(line)).send({
      to: '+14155552671',
      text: 'a\nb\r\nc',
      channel: 'sms',
    });
    expect(lines).toEqual(['[sms] to=+14155552671 text=a\\nb\\nc']);
  });
});
