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

/** Fields that may carry what a member typed. */
const FREE_TEXT_FIELDS = ['text', 'content', 'detail', 'xml', 'reason'];

export function createLogger(options: LoggerOptions = {}): Logger {
  const mask = options.maskText;
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: mask
        ? {
            log(object) {
              const masked: Record<string, unknown> = { ...object };
              for (const field of FREE_TEXT_FIELDS) {
                if (typeof masked[field] === 'string') masked[field] = mask(masked[field]);
              }
              return masked;
            },
          }
        : undefined,
      hooks: mask
        ? {
            // The message string itself (and printf-style arguments) go through the mask too.
            logMethod(args, method) {
              method.apply(
                this,
                args.map((arg: unknown) => (typeof arg === 'string' ? mask(arg) : arg)) as Parameters<
                  typeof method
                >,
              );
            },
          }
        : undefined,
    },
    options.destination,
  );
}

/** A logger that writes nothing: the default for tests. */
export const silentLogger: Logger = pino({ level: 'silent' });
