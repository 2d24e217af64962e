// Development MessageSender: writes each message to standard output instead of sending it.
import type { MessageSender } from '../../ports/message-sender.ts';

/**
 * One line per message, `[sms] to=<E.164> text=<message>`, newlines written as `\n` so that a
 * message never spans lines. This prints codes on purpose: it is the development stand-in for a
 * phone, and start-up warns loudly when it is in use.
 */
export function createConsoleSender(write: (line: string) => void = (line) => console.log(line)): MessageSender {
  return {
    provider: 'console',
    channels: ['sms'],
    async send(message) {
      write(`[sms] to=${message.to} text=${message.text.replace(/\r?\n/g, '\\n')}`);
      return { ok: true, provider: 'console', messageId: null };
    },
  };
}
