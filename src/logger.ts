import { pino, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level?: string;
  /** Masks personal information in free text (the PII detector: maskPiiForLog). */
  maskText?: (text: string) => string;
  /** Values that must never appear in a log line (the configured secrets), wherever they occur. */
  secrets?: readonly (string | undefined)[];
  destination?: pino.DestinationStream;
}

const REDACTED = '[redacted]';

/** Keys whose values are credentials, at any depth (access_token, corpsecret, cookie, …). */
const SECRET_KEY =
  /^(?:.*secret.*|.*password.*|passwd|pwd|authorization|cookie|set-cookie|.*token|.*tokens|encoding_?aes_?key|webhook_?key|.*seal_?key)$/i;

/** Credentials inside text: query parameters of a URL, the password of a database URL. */
const SECRET_IN_TEXT: readonly [RegExp, string][] = [
  [/\b(access_token|corpsecret|secret|token|key|code)=([^&\s"'<>]+)/gi, `$1=${REDACTED}`],
  [/\b((?:mysql|mariadb|https?):\/\/[^:/@\s]+):([^@/\s]+)@/gi, `$1:${REDACTED}@`],
];

/** An opaque value (an access token, a key) as query parameters may carry it. */
const OPAQUE = /^[A-Za-z0-9_\-+/=.]{32,}$/;

const MAX_DEPTH = 8;

/**
 * The one scrubber every log line goes through: strings are masked (personal information by the
 * detector, credentials by pattern and by value), objects and arrays are walked, and errors become
 * plain objects whose every part is scrubbed too: message, stack, the SQL error's text, a TypeORM
 * QueryFailedError's query parameters, the driver error and nested causes.
 */
export function createScrubber(
  options: Pick<LoggerOptions, 'maskText' | 'secrets'>,
): (value: unknown) => unknown {
  const mask = options.maskText ?? ((text: string) => text);
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 6);

  const text = (value: string): string => {
    let out = value;
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    for (const [pattern, replacement] of SECRET_IN_TEXT) out = out.replace(pattern, replacement);
    return mask(out);
  };

  const walk = (value: unknown, depth: number, seen: WeakSet<object>): unknown => {
    if (typeof value === 'string') return text(value);
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return '[circular]';
    if (depth > MAX_DEPTH) return '[…]';
    seen.add(value);
    if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `[${value.length} bytes]`;
    if (value instanceof Date) return value;
    if (value instanceof Error) return error(value, depth, seen);
    if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1, seen));
    if (value instanceof Map) return walk(Object.fromEntries(value), depth, seen);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] =
        SECRET_KEY.test(key) && item !== null && item !== undefined ? REDACTED : walk(item, depth + 1, seen);
    }
    return out;
  };

  const error = (err: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> => {
    const out: Record<string, unknown> = {
      type: err.constructor?.name ?? err.name,
      message: text(err.message),
    };
    if (err.stack) out.stack = text(err.stack);
    // Own enumerable fields: a MySQL error's code, errno, sqlMessage and sql; TypeORM's query,
    // parameters and driverError; a WeCom error's errcode.
    for (const [key, item] of Object.entries(err)) {
      if (key === 'message' || key === 'stack') continue;
      if (SECRET_KEY.test(key)) out[key] = REDACTED;
      else if (key === 'parameters' && Array.isArray(item))
        out[key] = item.map((p) => parameter(p, depth, seen));
      else out[key] = walk(item, depth + 1, seen);
    }
    if (err.cause !== undefined) out.cause = walk(err.cause, depth + 1, seen);
    if (err instanceof AggregateError) out.errors = err.errors.map((inner) => walk(inner, depth + 1, seen));
    return out;
  };

  /** A query parameter: masked like any string, and an opaque value (a token) not shown at all. */
  const parameter = (value: unknown, depth: number, seen: WeakSet<object>): unknown =>
    typeof value === 'string' && OPAQUE.test(value) ? REDACTED : walk(value, depth + 1, seen);

  return (value) => walk(value, 0, new WeakSet());
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const scrub = createScrubber(options);
  const logger = pino(
    {
      level: options.level ?? 'info',
      // Errors are already plain, scrubbed objects by the time serialisers run.
      serializers: { err: (value: unknown) => value },
      formatters: {
        // Everything logged with a line (errors included) is scrubbed before it is serialised.
        log: (object) => scrub(object) as Record<string, unknown>,
      },
      hooks: {
        // The message and printf-style arguments too; an error passed alone becomes `err` and
        // keeps its (masked) message as the line's message.
        logMethod(args, method) {
          const [first, ...rest] = args as unknown[];
          const scrubbed =
            first instanceof Error
              ? [{ err: first }, ...(rest.length ? rest : [first.message])]
              : [first, ...rest];
          method.apply(
            this,
            scrubbed.map((arg) => (typeof arg === 'string' ? scrub(arg) : arg)) as Parameters<typeof method>,
          );
        },
      },
    },
    options.destination,
  );
  // A child's bindings bypass the formatters (pino resets the bindings formatter for children), so
  // they are scrubbed on the way in. Children inherit this method, so theirs are scrubbed too.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the child as `this`
  const child = logger.child;
  logger.child = function (this: Logger, bindings, childOptions) {
    return child.call(this, scrub(bindings) as typeof bindings, childOptions);
  } as typeof logger.child;
  return logger;
}

/** A logger that writes nothing: the default for tests. */
export const silentLogger: Logger = pino({ level: 'silent' });
