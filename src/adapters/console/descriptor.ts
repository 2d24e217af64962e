// The console "provider": prints each message for development; refused in production unless asked for.
import { defineProvider } from '../../ports/adapter-descriptor.ts';
import { createConsoleSender } from './console-sender.ts';

export const consoleProvider = defineProvider({
  name: 'console',
  settings: {},
  channels: ['sms'],
  configuredBy: () => true,
  requires: 'nothing',
  development: 'the console sender, which prints codes',
  async build(_settings, { logger, writeSms }) {
    logger.warn(
      {},
      'WARNING: SMS_PROVIDER=console (no provider settings): the console sender prints every code to standard output and sends no SMS. Development only.',
    );
    return { sender: createConsoleSender(writeSms), webhooks: [] };
  },
});
