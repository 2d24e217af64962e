// The Node entry: reads the environment, starts the server, drains on SIGTERM and SIGINT.
import { serve } from '@hono/node-server';
import pino from 'pino';
import { composeService, readServicesFile, StartupError } from './compose.ts';
import { parseSettings } from './config/settings.ts';
import { LOG_REDACT_PATHS } from './logging/redact-paths.ts';
import type { Service } from './service.ts';

const loaded = parseSettings(process.env);
const services = loaded.ok ? readServicesFile(loaded.settings) : null;
const errors = !loaded.ok ? loaded.errors : services?.ok === false ? services.errors : [];
if (!loaded.ok || !services?.ok) {
  process.stderr.write(`sms-verify: cannot start, fix these settings:\n${errors.map((e) => `  - ${e}`).join('\n')}\n`);
  process.exit(1);
}
const { settings } = loaded;
// Everything the process prints (log lines and the console sender's messages) goes through this
// one stream, in order, and it is ended (flushed) before every exit. With a real provider it is
// written asynchronously: a request does not wait for its log lines, and lines written while one
// write is under way go out together. With the console sender it stays synchronous, so that a
// code's line is out before the answer to its send (scripts and tests read it right after).
const stdout = pino.destination({ dest: 1, sync: settings.SMS_PROVIDER.includes('console') });
const logger = pino(
  {
    level: settings.LOG_LEVEL,
    base: { service: 'sms-verify' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' },
  },
  stdout,
);
/** Exits once every line handed to `stdout` is written (or after 2 s, whatever stdout does). */
const exit = (code: number) => {
  const leave = () => process.exit(code);
  stdout.once('close', leave);
  setTimeout(leave, 2000);
  stdout.end();
};
for (const warning of loaded.warnings) logger.warn({}, `WARNING: ${warning}`);

for (const { sid, policy } of services.services) {
  if (policy.testCodes.size > 0) {
    logger.warn(
      // `service` is the process's name on every line; a service of SERVICES_FILE is `serviceSid`.
      { serviceSid: sid },
      `WARNING: service ${sid} has test codes: ${policy.testCodes.size} number(s) get a fixed code with no SMS and no send limits.`,
    );
  }
}
if (services.services.length > 0) {
  logger.info(
    { services: services.services.map((s) => s.sid) },
    `SERVICES_FILE: ${services.services.length} service(s)`,
  );
}
let service: Service;
try {
  service = await composeService(settings, {
    logger,
    writeSms: (line) => stdout.write(`${line}\n`),
    services,
  });
} catch (error) {
  // A store that cannot be reached at start-up is an operator's matter like a bad setting: one
  // message naming the server (never its credentials) and exit code 1, not a stack trace.
  if (!(error instanceof StartupError)) throw error;
  process.stderr.write(`sms-verify: cannot start: ${error.message}\n`);
  exit(1);
  // exit() ends the process once stdout is flushed; nothing after this line may run.
  await new Promise(() => undefined);
  throw error;
}
const server = serve(
  {
    fetch: service.app.fetch,
    port: settings.PORT,
    hostname: settings.HOST,
    // Node's defaults let a client hold a connection for 300 s by sending a body slower than it
    // declared; these answer 408 and close. The check interval is what makes the timeouts prompt.
    serverOptions: {
      requestTimeout: settings.REQUEST_TIMEOUT_SECONDS * 1000,
      headersTimeout: settings.HEADERS_TIMEOUT_SECONDS * 1000,
      keepAliveTimeout: settings.KEEP_ALIVE_TIMEOUT_SECONDS * 1000,
      connectionsCheckingInterval: 500,
    },
  },
  (info) => {
    logger.info({ port: info.port, address: info.address }, 'listening');
  },
);
// A listen failure (a busy port, an address this host does not have) is an operator's mistake
// like a bad setting: one clear line and exit code 1, not an unhandled 'error' event's stack.
server.once('error', (error: NodeJS.ErrnoException) => {
  const reason = error.code === 'EADDRINUSE' ? 'the port is in use' : (error.code ?? error.message);
  process.stderr.write(`sms-verify: cannot listen on ${settings.HOST}:${settings.PORT}: ${reason}\n`);
  void service.close().finally(() => exit(1));
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'draining: no new connections, finishing requests in flight');
  service.startDraining();
  const deadline = settings.SHUTDOWN_TIMEOUT_SECONDS * 1000;
  const forced = setTimeout(() => {
    logger.warn(
      { timeoutSeconds: settings.SHUTDOWN_TIMEOUT_SECONDS },
      'requests still in flight at the shutdown timeout: closing them',
    );
    // Their use cases go on without a client: none may hand a message over from here, so each
    // either finished its send before this point or takes its charges back.
    service.stopSending();
    if ('closeAllConnections' in server) server.closeAllConnections();
  }, deadline);
  forced.unref();
  // close() drops idle keep-alive connections only once; a request finishing later leaves its
  // connection idle for the keep-alive timeout, so drop such connections as they appear.
  const idle = setInterval(() => {
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  }, 50);
  idle.unref();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  clearInterval(idle);
  // Exiting while a use case is between its charge and its refund would leave it charged.
  const inTime = await Promise.race([
    service.settled().then(() => true),
    new Promise<boolean>((done) => setTimeout(() => done(false), deadline)),
  ]);
  if (!inTime) logger.error({}, 'use cases still running a shutdown timeout after the deadline: exiting anyway');
  await service.close();
  logger.info({}, 'stopped');
  exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
