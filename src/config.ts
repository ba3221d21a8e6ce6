// The only reader of process.env: everything else receives a typed, frozen Config.
import { z } from 'zod';

const ENCODING_AES_KEY = /^[A-Za-z0-9]{43}$/;

function decodesTo32Bytes(key: string): boolean {
  return Buffer.from(`${key}=`, 'base64').length === 32;
}

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** An integer in [min, max], with the message every variable gets: Chinese and English. */
function integer(min: number, max: number) {
  const error = `必须是 ${min}–${max} 之间的整数 / must be an integer from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

const url = () => z.url({ error: '必须是完整的网址，如 https://… / must be a full URL such as https://…' });

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const envSchema = z.object({
  PORT: integer(0, 65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: optionalText.refine(
    (v) => v === undefined || /^(mysql|mariadb):\/\//.test(v) || /^sqlite:/.test(v),
    '必须是 mysql://user:pass@host:3306/db 或 sqlite:路径 / must be mysql://… or sqlite:path',
  ),
  DATA_DIR: z.string().default('data'),
  WECOM_CORP_ID: optionalText,
  WECOM_AGENT_ID: optionalText.refine(
    (v) => v === undefined || /^\d+$/.test(v),
    '必须是数字 / must be a number',
  ),
  WECOM_SECRET: optionalText,
  WECOM_TOKEN: optionalText,
  WECOM_ENCODING_AES_KEY: optionalText.refine(
    (v) => v === undefined || (ENCODING_AES_KEY.test(v) && decodesTo32Bytes(v)),
    '必须是 43 位字母数字，且解码为 32 字节 / must be 43 alphanumeric chars decoding to 32 bytes',
  ),
  WECOM_API_BASE: url().default('https://qyapi.weixin.qq.com'),
  WECOM_OAUTH_BASE: url().default('https://open.weixin.qq.com'),
  SESSION_SECRET: optionalText.refine(
    (v) => v === undefined || v.length >= 32,
    '至少 32 个字符 / at least 32 characters',
  ),
  PUBLIC_BASE_URL: optionalText.refine(
    (v) => v === undefined || /^https?:\/\//.test(v),
    '必须以 http(s):// 开头 / must start with http(s)://',
  ),
  CALLBACK_MAX_SKEW_S: integer(1, 86_400).default(300),
  SANDBOX_API_PORT: integer(0, 65535).optional(),
  PII_ALLOW_LIST: z.string().default(''),
  OUTBOX_LEASE_S: integer(5, 3600).default(60),
  INBOUND_RECOVERY_S: integer(5, 86_400).default(60),
  CONTENT_PARSE_TIMEOUT_S: integer(1, 300).default(10),
  CONTENT_FETCH_PRIVATE_HOSTS: z.enum(['0', '1'], { error: '必须是 0 或 1 / must be 0 or 1' }).default('0'),
  CONTENT_WORKER_MEMORY_MB: integer(32, 4096).default(128),
  MEMBER_RATE_PER_MINUTE: integer(0, 100_000).default(60),
  MEMBER_RATE_BURST: integer(1, 100_000).default(30),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, {
      error: `必须是 ${LOG_LEVELS.join('、')} 之一 / must be one of ${LOG_LEVELS.join(', ')}`,
    })
    .default('info'),
  NODE_ENV: z.string().optional(),
});

export interface WeComCredentials {
  corpId: string;
  agentId: number;
  secret: string;
  token: string;
  encodingAesKey: string;
}

export interface Config {
  port: number;
  host: string;
  /** Undefined means the embedded SQLite file under dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** live: a real WeCom app; sandbox: the built-in fake WeCom API with generated credentials. */
  mode: 'live' | 'sandbox';
  /** Present in live mode; in sandbox mode the sandbox fills them in at start. */
  wecom: WeComCredentials | undefined;
  apiBase: string;
  /** Where members sign in to the board (WeCom OAuth2; the fake in sandbox mode). */
  oauthBase: string;
  /**
   * The board's session signing secret; undefined means a key derived from the app secret
   * (see src/board/session.ts).
   */
  sessionSecret: string | undefined;
  publicBaseUrl: string | undefined;
  callbackMaxSkewSeconds: number;
  sandboxApiPort: number | undefined;
  logLevel: string;
  production: boolean;
  /** The office's own published phone numbers: never reported as personal information. */
  piiAllowList: readonly string[];
  /** How long a claimed outbound batch is leased before another instance may re-send it. */
  outboxLeaseSeconds: number;
  /** How long a recorded delivery may stay unfinished before it is run again. */
  inboundRecoverySeconds: number;
  /** Per-member fair share of callbacks: sustained per minute (0: off) and burst. */
  memberRate: { perMinute: number; burst: number };
  /** One parse of member content: time limit and the worker's memory limit. */
  contentLimits: ContentLimits;
  /** Forwarded links may point inside the network (the sandbox always; tests and the fault suite). */
  fetchPrivateHosts: boolean;
}

export interface ContentLimits {
  timeMs: number;
  memoryMb: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      ['配置有误，无法启动 / Invalid configuration, not starting:', ...problems.map((p) => `  - ${p}`)].join(
        '\n',
      ),
    );
    this.name = 'ConfigError';
  }
}

const LIVE_KEYS = [
  'WECOM_CORP_ID',
  'WECOM_AGENT_ID',
  'WECOM_SECRET',
  'WECOM_TOKEN',
  'WECOM_ENCODING_AES_KEY',
] as const;

/** Parses the environment; throws ConfigError listing every missing or malformed variable at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const parsed = envSchema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${issue.path.join('.')}: ${issue.message}`);
    }
  }
  const data = parsed.success ? parsed.data : undefined;
  // Live mode is chosen by the presence of a secret; then every WeCom value is required.
  const live = Boolean(env.WECOM_SECRET?.trim());
  if (live) {
    for (const key of LIVE_KEYS) {
      if (!env[key]?.trim())
        problems.push(`${key}: 缺少（配置了 WECOM_SECRET 时必填） / missing (required with WECOM_SECRET)`);
    }
  }
  if (data?.CONTENT_FETCH_PRIVATE_HOSTS === '1' && data.NODE_ENV === 'production') {
    problems.push(
      'CONTENT_FETCH_PRIVATE_HOSTS: 生产环境不允许读取内部网络地址 / not allowed with NODE_ENV=production',
    );
  }
  if (problems.length > 0 || !data) throw new ConfigError(problems);

  const wecom: WeComCredentials | undefined = live
    ? {
        corpId: data.WECOM_CORP_ID!,
        agentId: Number(data.WECOM_AGENT_ID),
        secret: data.WECOM_SECRET!,
        token: data.WECOM_TOKEN!,
        encodingAesKey: data.WECOM_ENCODING_AES_KEY!,
      }
    : undefined;

  return Object.freeze({
    port: data.PORT,
    host: data.HOST,
    databaseUrl: data.DATABASE_URL,
    dataDir: data.DATA_DIR,
    mode: live ? 'live' : 'sandbox',
    wecom: wecom && Object.freeze(wecom),
    apiBase: data.WECOM_API_BASE.replace(/\/+$/, ''),
    oauthBase: data.WECOM_OAUTH_BASE.replace(/\/+$/, ''),
    sessionSecret: data.SESSION_SECRET,
    publicBaseUrl: data.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
    callbackMaxSkewSeconds: data.CALLBACK_MAX_SKEW_S,
    sandboxApiPort: data.SANDBOX_API_PORT,
    logLevel: data.LOG_LEVEL,
    production: data.NODE_ENV === 'production',
    outboxLeaseSeconds: data.OUTBOX_LEASE_S,
    inboundRecoverySeconds: data.INBOUND_RECOVERY_S,
    memberRate: { perMinute: data.MEMBER_RATE_PER_MINUTE, burst: data.MEMBER_RATE_BURST },
    fetchPrivateHosts: data.CONTENT_FETCH_PRIVATE_HOSTS === '1',
    contentLimits: { timeMs: data.CONTENT_PARSE_TIMEOUT_S * 1000, memoryMb: data.CONTENT_WORKER_MEMORY_MB },
    piiAllowList: parseAllowList(data.PII_ALLOW_LIST),
  } satisfies Config);
}

/** PII_ALLOW_LIST: numbers separated by commas, semicolons or spaces (half- or full-width). */
export function parseAllowList(value: string | undefined): readonly string[] {
  return Object.freeze(
    (value ?? '')
      .split(/[,，;；\s]+/)
      .map((entry) => entry.trim())
      .filter(Boolean),
  );
}

/** Only PII_ALLOW_LIST, for `pii-check`, which must not fail over settings it does not use. */
export function loadPiiAllowList(env: Record<string, string | undefined> = process.env): readonly string[] {
  return parseAllowList(env.PII_ALLOW_LIST);
}

/**
 * Only the content limits, for the CLI commands that parse files (`pii-check`, `import`,
 * `import-messages`): the same limits as the bot, without requiring the rest of the configuration.
 */
export function loadContentLimits(env: Record<string, string | undefined> = process.env): ContentLimits {
  const parsed = envSchema
    .pick({ CONTENT_PARSE_TIMEOUT_S: true, CONTENT_WORKER_MEMORY_MB: true })
    .safeParse(env);
  const data = parsed.success ? parsed.data : { CONTENT_PARSE_TIMEOUT_S: 10, CONTENT_WORKER_MEMORY_MB: 128 };
  return { timeMs: data.CONTENT_PARSE_TIMEOUT_S * 1000, memoryMb: data.CONTENT_WORKER_MEMORY_MB };
}
