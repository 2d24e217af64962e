// Log fields that may never be written, whatever a caller puts in them (pino redaction paths).

export const LOG_REDACT_PATHS = [
  'code',
  '*.code',
  'codeHash',
  '*.codeHash',
  'phone',
  '*.phone',
  'to',
  '*.to',
  'text',
  '*.text',
  'secret',
  '*.secret',
  'apiKey',
  '*.apiKey',
  'privateKey',
  '*.privateKey',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
];
