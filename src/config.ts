// The only reader of process.env: everything else receives a typed, frozen Config.
import ipaddr from 'ipaddr.js';
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
  INBOUND_SEAL_KEY: optionalText.refine(
    (v) => v === undefined || v.length >= 32,
    '至少 32 个字符 / at least 32 characters',
  ),
  PUBLIC_BASE_URL: optionalText.refine(
    (v) => v === undefined || /^https?:\/\//.test(v),
    '必须以 http(s):// 开头 / must start with http(s)://',
  ),
  METRICS_TOKEN: optionalText.refine(
    (v) => v === undefined || /^[\x21-\x7e]{16,}$/.test(v),
    '至少 16 个字符，只用字母、数字和符号（不含空格） / at least 16 printable ASCII characters, no spaces',
  ),
  CALLBACK_MAX_SKEW_S: integer(1, 86_400).default(300),
  SANDBOX_API_PORT: integer(0, 65535).optional(),
  PII_ALLOW_LIST: z.string().default(''),
  PATROL_STALE_DAYS: integer(1, 365).default(14),
  PATROL_PAGES_PER_SITE: integer(1, 5000).default(200),
  PATROL_EXCLUDE: z.string().default(''),
  FETCH_ALLOW: z
    .string()
    .default('')
    .refine(
      (v) => splitList(v).every(isFetchAllowEntry),
      '必须是主机名、IP 地址或 CIDR 网段，以逗号分隔 / must be host names, addresses or CIDR ranges, comma-separated',
    ),
  // `true`/`yes` mean one proxy (nginx in front), `false`/`no` none.
  TRUST_PROXY: z.preprocess(
    (v) => {
      const value = typeof v === 'string' ? v.trim().toLowerCase() : v;
      if (value === 'true' || value === 'yes') return '1';
      if (value === 'false' || value === 'no' || value === '' || value === undefined) return '0';
      return value;
    },
    integer(0, 5),
  ),
  AUDIT_RETENTION_DAYS: integer(180, 3650).default(365),
  OUTBOX_LEASE_S: integer(5, 3600).default(60),
  INBOUND_RECOVERY_S: integer(5, 86_400).default(60),
  CONTENT_PARSE_TIMEOUT_S: integer(1, 300).default(10),
  CONTENT_FETCH_PRIVATE_HOSTS: z.enum(['0', '1'], { error: '必须是 0 或 1 / must be 0 or 1' }).default('0'),
  CONTENT_WORKER_MEMORY_MB: integer(32, 4096).default(128),
  MEMBER_RATE_PER_MINUTE: integer(0, 100_000).default(60),
  MEMBER_RATE_BURST: integer(1, 100_000).default(30),
  SHARED_COMMIT_SLOTS: integer(0, 64).default(2),
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
   * The board's session signing secret: required in live mode; undefined only in the sandbox, whose
   * key is derived from its generated app secret (see src/board/session.ts).
   */
  sessionSecret: string | undefined;
  publicBaseUrl: string | undefined;
  /**
   * INBOUND_SEAL_KEY: seals (AES-256-GCM) the body of a delivery that is kept to be run again later
   * (src/app/retention.ts); never stored in the database. Unset, such bodies are dropped.
   */
  inboundSealKey: string | undefined;
  callbackMaxSkewSeconds: number;
  /** The bearer token /metrics asks for; undefined: /metrics answers loopback clients only. */
  metricsToken: string | undefined;
  sandboxApiPort: number | undefined;
  logLevel: string;
  production: boolean;
  /** The office's own published phone numbers: never reported as personal information. */
  piiAllowList: readonly string[];
  /** How long a claimed outbound batch is leased before another instance may re-send it. */
  outboxLeaseSeconds: number;
  /** How long a recorded delivery may stay unfinished before it is run again. */
  inboundRecoverySeconds: number;
  /**
   * FETCH_ALLOW: host names, addresses and CIDR ranges (government-extranet sites at private
   * addresses) that a live bot may read pages from, at any port.
   */
  fetchAllow: readonly string[];
  /** The site patrol: a column is stale after this many days; pages read per site; sites left out (标识码). */
  patrol: { staleDays: number; pagesPerSite: number; exclude: readonly string[] };
  /**
   * TRUST_PROXY: how many reverse proxies stand in front of the bot. 0 (the default) ignores
   * X-Forwarded-* headers, which anyone can send; 1 behind nginx as in the README.
   */
  trustProxy: number;
  /** How long audit rows are kept (at least 180 days: 等保 2.0 asks for six months). */
  auditRetentionDays: number;
  /** Per-member fair share of callbacks: sustained per minute (0: off) and burst. */
  memberRate: { perMinute: number; burst: number };
  /** Transactions that light deliveries share at once (src/app/shared-commit.ts); 0: each alone. */
  sharedCommitSlots: number;
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

const LIVE_ONLY = '正式模式（配置了 WECOM_SECRET）';

/**
 * What a live bot refuses to start with: a board whose cookies anyone holding the app secret could
 * sign, a board without an address of its own (its sign-in would trust the request's Host), and a
 * production database behind a sandbox (fake sign-in as anyone, fetches into the network).
 */
function unsafeLiveSettings(env: Record<string, string | undefined>, live: boolean): string[] {
  const problems: string[] = [];
  const production = env.NODE_ENV?.trim() === 'production';
  if (production && !live) {
    problems.push(
      'WECOM_SECRET: 生产环境（NODE_ENV=production）须配置企业微信应用凭据，不能以沙箱模式运行 / production needs the live WeCom credentials; it never runs the sandbox',
    );
  }
  if (!live) return problems;
  const sessionSecret = env.SESSION_SECRET?.trim() ?? '';
  if (!sessionSecret) {
    problems.push(
      `SESSION_SECRET: ${LIVE_ONLY}必填，至少 32 个字符的随机值 / required in live mode: at least 32 random characters`,
    );
  } else if (
    (['WECOM_SECRET', 'WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY'] as const).some((key) => {
      const value = env[key]?.trim() ?? '';
      return (
        value !== '' && (sessionSecret === value || (value.length >= 8 && sessionSecret.includes(value)))
      );
    })
  ) {
    problems.push(
      'SESSION_SECRET: 不能由企业微信的 Secret、Token 或 EncodingAESKey 构成，请另行生成 / must not be made from a WeCom secret, token or key',
    );
  }
  const publicBaseUrl = env.PUBLIC_BASE_URL?.trim() ?? '';
  if (!publicBaseUrl) {
    problems.push(
      `PUBLIC_BASE_URL: ${LIVE_ONLY}必填（进度看板的登录回调地址） / required in live mode (the board's sign-in address)`,
    );
  } else if (production && !publicBaseUrl.startsWith('https://')) {
    problems.push('PUBLIC_BASE_URL: 生产环境须使用 https:// / production needs https://');
  }
  return problems;
}

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
  problems.push(...unsafeLiveSettings(env, live));
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
    inboundSealKey: data.INBOUND_SEAL_KEY,
    callbackMaxSkewSeconds: data.CALLBACK_MAX_SKEW_S,
    metricsToken: data.METRICS_TOKEN,
    sandboxApiPort: data.SANDBOX_API_PORT,
    logLevel: data.LOG_LEVEL,
    production: data.NODE_ENV === 'production',
    outboxLeaseSeconds: data.OUTBOX_LEASE_S,
    inboundRecoverySeconds: data.INBOUND_RECOVERY_S,
    memberRate: { perMinute: data.MEMBER_RATE_PER_MINUTE, burst: data.MEMBER_RATE_BURST },
    sharedCommitSlots: data.SHARED_COMMIT_SLOTS,
    fetchPrivateHosts: data.CONTENT_FETCH_PRIVATE_HOSTS === '1',
    contentLimits: { timeMs: data.CONTENT_PARSE_TIMEOUT_S * 1000, memoryMb: data.CONTENT_WORKER_MEMORY_MB },
    piiAllowList: parseAllowList(data.PII_ALLOW_LIST),
    fetchAllow: Object.freeze(splitList(data.FETCH_ALLOW).map((entry) => entry.toLowerCase())),
    patrol: {
      staleDays: data.PATROL_STALE_DAYS,
      pagesPerSite: data.PATROL_PAGES_PER_SITE,
      exclude: Object.freeze(splitList(data.PATROL_EXCLUDE)),
    },
    trustProxy: data.TRUST_PROXY,
    auditRetentionDays: data.AUDIT_RETENTION_DAYS,
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

function splitList(value: string): string[] {
  return value
    .split(/[,，;；\s]+/)
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** A FETCH_ALLOW entry: an address, a CIDR range (10.12.0.0/16) or a host name. */
function isFetchAllowEntry(entry: string): boolean {
  if (entry.includes('/')) return ipaddr.isValidCIDR(entry);
  if (ipaddr.IPv4.isValidFourPartDecimal(entry) || ipaddr.IPv6.isValid(entry)) return true;
  return /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(
    entry,
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
