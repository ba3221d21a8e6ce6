import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Secrets never reach the log: credential fields are censored by path. Free text that users sent
 * (which may hold ID or phone numbers) is logged only through `text` fields, which are masked.
 */
const REDACT_PATHS = [
  'secret',
  '*.secret',
  'corpsecret',
  '*.corpsecret',
  'access_token',
  '*.access_token',
  'accessToken',
  '*.accessToken',
  'token',
  '*.token',
  'encodingAesKey',
  '*.encodingAesKey',
  'wecom.secret',
  'wecom.token',
  'wecom.encodingAesKey',
  'headers.cookie',
  '*.headers.cookie',
  'webhookKey',
  '*.webhookKey',
];

export interface LoggerOptions {
  level?: string;
  /** Masks personal information in free text before it is written (the PII detector). */
  maskText?: (text: string) => string;
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const mask = options.maskText;
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: mask
        ? {
            log(object) {
              if (typeof object.text === 'string') return { ...object, text: mask(object.text) };
              return object;
            },
          }
        : undefined,
    },
    options.destination,
  );
}

/** A logger that writes nothing: the default for tests. */
export const silentLogger: Logger = pino({ level: 'silent' });
