/**
 * Personal-information detector (个人信息检测) for texts about to be published.
 *
 * Why: the 2023 Q1 notice (四(四)) requires every unit to check texts before publication so that no
 * 身份证号码, 手机号, 金融账户 or 健康状况 leaks. This module finds such values; it is pure and
 * synchronous so the bot, the CLI and the logger can all call it.
 *
 * How: the text is normalised one UTF-16 unit for one unit (full-width digits, letters and
 * punctuation to ASCII, ideographic space to a space), so every offset found in the normalised
 * copy is also an offset into the original. Each kind then makes at most one regex pass; the
 * patterns anchor on boundaries with look-behinds and bounded repeats, so there is no catastrophic
 * backtracking. Candidates are merged, overlaps resolved (block before warn, then by kind), and
 * only masked values leave this module.
 */

import { CONDITION_SUFFIXES, GUARDED_TERMS, conditionTerms, trieSource } from './health-terms.js';

export type PiiKind =
  'id_card' | 'id_card_legacy' | 'mobile' | 'bank_card' | 'landline' | 'email' | 'health' | 'passport';

export type PiiSeverity = 'block' | 'warn';

export interface PiiFinding {
  kind: PiiKind;
  /** Offset (UTF-16 units) into the original text, inclusive. */
  start: number;
  /** Offset into the original text, exclusive. */
  end: number;
  /** The value as it may be shown or logged; never the raw value. */
  masked: string;
  severity: PiiSeverity;
  /** Short Chinese explanation, safe to show (contains no raw value). */
  reason: string;
}

export interface PiiOptions {
  /**
   * Phone numbers that are not findings: the office's own published hotlines. Compared by digits
   * only, so `0533-1234567`, `(0533)1234567` and `05331234567` are the same entry; an entry of a
   * landline's local part alone (`1234567`) also matches that number under any area code.
   */
  allowList?: readonly string[];
}

export const PII_KIND_LABELS: Readonly<Record<PiiKind, string>> = {
  id_card: '身份证号',
  id_card_legacy: '15位身份证号',
  mobile: '手机号',
  bank_card: '银行卡号',
  landline: '固定电话',
  email: '个人邮箱',
  health: '健康信息',
  passport: '护照/通行证号',
};

export const PII_SEVERITY_LABELS: Readonly<Record<PiiSeverity, string>> = {
  block: '拦截',
  warn: '提醒',
};

// ---------------------------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------------------------

/** Full-width ASCII block, ideographic space, and the hyphen/dash look-alikes. */
const NORMALISABLE = /[\uFF01-\uFF5E\u3000\u2010-\u2013\u2212]/g;

/** Same length as the input, so offsets stay valid for the original string. */
export function normaliseForMatching(text: string): string {
  return text.replace(NORMALISABLE, (ch) => {
    const code = ch.charCodeAt(0);
    if (code === 0x3000) return ' ';
    if (code >= 0xff01) return String.fromCharCode(code - 0xfee0);
    return '-';
  });
}

// ---------------------------------------------------------------------------------------------
// Check algorithms
// ---------------------------------------------------------------------------------------------

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK_CHARS = '10X98765432';

/** GB 11643-1999 check character for the first 17 digits. */
function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK_CHARS.charAt(sum % 11);
}

/**
 * Province-level codes that start a resident ID (incl. 71 Taiwan, 81/82/83 for the residence
 * permits of Hong Kong, Macao and Taiwan residents, which use the same format). A random digit run
 * rarely starts with one of these AND carries a valid date AND a valid check digit.
 */
const PROVINCE_CODES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64',
  '65', '71', '81', '82', '83',
]); // prettier-ignore

function isValidDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/** Birth years accepted: fixed bounds keep the detector independent of the clock. */
const MIN_BIRTH_YEAR = 1900;
const MAX_BIRTH_YEAR = 2099;

function hasIdStructure(digits: string, dateAt: number, yearDigits: 2 | 4): boolean {
  if (!PROVINCE_CODES.has(digits.slice(0, 2))) return false;
  const yearText = digits.slice(dateAt, dateAt + yearDigits);
  const year = yearDigits === 4 ? Number(yearText) : 1900 + Number(yearText);
  if (year < MIN_BIRTH_YEAR || year > MAX_BIRTH_YEAR) return false;
  const month = Number(digits.slice(dateAt + yearDigits, dateAt + yearDigits + 2));
  const day = Number(digits.slice(dateAt + yearDigits + 2, dateAt + yearDigits + 4));
  return isValidDate(year, month, day);
}

function isValidId18(value: string): boolean {
  const upper = value.toUpperCase();
  return hasIdStructure(upper, 6, 4) && idCheckChar(upper) === upper.charAt(17);
}

function isLegacyId15(digits: string): boolean {
  return hasIdStructure(digits, 6, 2);
}

function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

const CREDIT_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** GB 32100-2015 统一社会信用代码: 18 characters, mod-31 check character. */
export function isValidCreditCode(value: string): boolean {
  const code = value.toUpperCase();
  if (code.length !== 18) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CODE_CHARS.indexOf(code.charAt(i));
    if (v < 0) return false;
    sum += v * (CREDIT_CODE_WEIGHTS[i] ?? 0);
  }
  const expected = CREDIT_CODE_CHARS.charAt((31 - (sum % 31)) % 31);
  return code.charAt(17) === expected;
}

// ---------------------------------------------------------------------------------------------
// Context words
// ---------------------------------------------------------------------------------------------

const CONTEXT_BEFORE = 16;
const CONTEXT_AFTER = 8;

const ID_CONTEXT = /身份证|证件号|公民身份号码|身份号码/;
const CARD_CONTEXT = /卡号|账号|帐号|账户|帐户|银行|开户行/;
const CREDIT_CONTEXT = /信用代码|纳税人识别号|税号/;
const PASSPORT_CONTEXT = /护照|通行证|证件号|passport/i;

/**
 * A number presented as an ID or a card: the label right before it (身份证号：…, 卡号 …). Whatever
 * the number's own checks say, publishing it is publishing someone's ID or account: it blocks.
 */
const LABEL_TAIL = '[”"」』]?\\s*(?:一栏|栏)?\\s*(?:填写|填报|登记|显示)?\\s*(?:为|是|[:：])?\\s*$';
const ID_LABEL_BEFORE = new RegExp(`(?:身份证(?:号码?)?|公民身份(?:证)?号码|身份号码)${LABEL_TAIL}`);
const CARD_LABEL_BEFORE = new RegExp(`(?:银行卡(?:卡?号)?|卡号|账号|帐号|账户|帐户|收款账号)${LABEL_TAIL}`);
const LABEL_REACH = 16;

function labelledBefore(norm: string, start: number, label: RegExp): boolean {
  return label.test(norm.slice(Math.max(0, start - LABEL_REACH), start));
}

function hasContext(norm: string, start: number, end: number, words: RegExp): boolean {
  return (
    words.test(norm.slice(Math.max(0, start - CONTEXT_BEFORE), start)) ||
    words.test(norm.slice(end, end + CONTEXT_AFTER))
  );
}

// ---------------------------------------------------------------------------------------------
// Masking helpers (input: the normalised match)
// ---------------------------------------------------------------------------------------------

function keepEnds(value: string, head: number, tail: number): string {
  if (value.length <= head + tail) return '*'.repeat(value.length);
  return value.slice(0, head) + '*'.repeat(value.length - head - tail) + value.slice(value.length - tail);
}

const digitsOnly = (value: string): string => value.replace(/\D/g, '');

// ---------------------------------------------------------------------------------------------
// Candidates
// ---------------------------------------------------------------------------------------------

interface Candidate extends PiiFinding {
  /** Lower wins an overlap. */
  rank: number;
}

const KIND_ORDER: Readonly<Record<PiiKind, number>> = {
  id_card: 0,
  bank_card: 1,
  mobile: 2,
  passport: 3,
  email: 4,
  landline: 5,
  id_card_legacy: 6,
  health: 7,
};

function candidate(
  kind: PiiKind,
  start: number,
  end: number,
  masked: string,
  severity: PiiSeverity,
  reason: string,
): Candidate {
  const rank = (severity === 'block' ? 0 : 10) + KIND_ORDER[kind];
  return { kind, start, end, masked, severity, reason, rank };
}

// --- 身份证号, 银行卡号 (contiguous digit runs) -------------------------------------------------

/** 15–19 digits (or 17 digits + X) not glued to other digits or letters. */
const LONG_NUMBER = /(?<![0-9A-Za-z])(?:\d{17}[Xx]|\d{15,19})(?![0-9A-Za-z])/g;

const CARD_PREFIX = /^(?:62|[345])/;

function classifyLongNumber(norm: string, start: number, value: string): Candidate | undefined {
  const end = start + value.length;
  const presentedAsId =
    (value.length === 15 || value.length === 18) && labelledBefore(norm, start, ID_LABEL_BEFORE);
  if (presentedAsId && !(value.length === 18 && isValidId18(value))) {
    const kind = value.length === 15 ? 'id_card_legacy' : 'id_card';
    return candidate(kind, start, end, keepEnds(value.toUpperCase(), 3, 4), 'block', '标明为身份证号的号码');
  }
  if (value.length === 15) return classifyLegacyId(start, value);
  if (value.length === 18) {
    if (isValidId18(value)) {
      // An all-digit credit code can pass the ID check by chance; its label decides.
      if (isValidCreditCode(value) && hasContext(norm, start, end, CREDIT_CONTEXT)) return undefined;
      const masked = keepEnds(value.toUpperCase(), 3, 4);
      return candidate('id_card', start, end, masked, 'block', '校验位正确的18位身份证号');
    }
    if (isValidCreditCode(value)) return undefined;
  }
  const idContext = value.length === 18 && hasContext(norm, start, end, ID_CONTEXT);
  // A mistyped ID (right province and birth date, wrong check digit) next to "身份证" stays an ID,
  // even when it happens to pass Luhn.
  if (idContext && hasIdStructure(value, 6, 4)) return mistypedId(start, end, value);
  const card = /^\d+$/.test(value) ? classifyCardDigits(norm, start, end, value) : undefined;
  if (card?.severity === 'block') return card;
  return idContext ? mistypedId(start, end, value) : card;
}

function mistypedId(start: number, end: number, value: string): Candidate {
  const reason = '“身份证”字样附近的18位号码（未通过校验）';
  return candidate('id_card', start, end, keepEnds(value.toUpperCase(), 3, 4), 'warn', reason);
}

function classifyLegacyId(start: number, value: string): Candidate | undefined {
  if (!isLegacyId15(value)) return undefined;
  const reason = '出生日期有效的15位旧版身份证号';
  return candidate('id_card_legacy', start, start + 15, keepEnds(value, 3, 4), 'warn', reason);
}

/** Bank cards: 16–19 digits; Luhn plus a card prefix or a banking word, or a banking word alone. */
function classifyCardDigits(norm: string, start: number, end: number, digits: string): Candidate | undefined {
  if (digits.length < 16 || digits.length > 19) return undefined;
  const masked = keepEnds(digits, 6, 4);
  const luhn = passesLuhn(digits);
  const prefix = CARD_PREFIX.test(digits);
  if (luhn && prefix) return candidate('bank_card', start, end, masked, 'block', '通过Luhn校验的银行卡号');
  if (labelledBefore(norm, start, CARD_LABEL_BEFORE)) {
    return candidate('bank_card', start, end, masked, 'block', '标明为卡号/账号的号码');
  }
  const context = hasContext(norm, start, end, CARD_CONTEXT);
  if (luhn && context) {
    return candidate('bank_card', start, end, masked, 'block', '“银行/账号”字样附近、通过Luhn校验的卡号');
  }
  if (context) {
    return candidate('bank_card', start, end, masked, 'warn', '“银行/账号”字样附近的16–19位数字');
  }
  return undefined;
}

function findLongNumbers(norm: string, out: Candidate[]): void {
  for (const m of norm.matchAll(LONG_NUMBER)) {
    const found = classifyLongNumber(norm, m.index, m[0]);
    if (found) out.push(found);
  }
}

/** Cards written in groups of four: `6222 0212 3456 7890 123` (one separator kind throughout). */
const GROUPED_CARD =
  /(?<![0-9A-Za-z])(?<!\d[ -])\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,4})?(?![0-9A-Za-z])(?!\1\d)/g;

function findGroupedCards(norm: string, out: Candidate[]): void {
  for (const m of norm.matchAll(GROUPED_CARD)) {
    const found = classifyCardDigits(norm, m.index, m.index + m[0].length, digitsOnly(m[0]));
    if (found) out.push(found);
  }
}

// --- 手机号, 固定电话 -----------------------------------------------------------------------------

/**
 * Mainland mobile: optional +86/0086, then 1[3-9] and 9 digits as 11 / 3-4-4 (space or dash, one
 * kind). Not glued to digits or a decimal point, and not followed by an amount unit (13800000000元).
 */
const MOBILE =
  /(?<![\d.])((?:\+|00)86[ -]?)?(1[3-9]\d)([ -]?)(\d{4})\3(\d{4})(?!\d)(?!\.\d)(?! ?(?:元|万|亿|吨|亩|平方))/g;

/**
 * Landline with an area code and a visible separator: 0533-1234567, (0533)1234567, 0533 12345678,
 * or written together right after a word that says it is a phone number (电话：05332345678).
 * Area codes: 010, 02x, 0[3-9]xx; local numbers start 2–9. A contiguous number with no such word
 * is left out (too easily an order number), as are bare local numbers (too easily an amount).
 * 400/800 service numbers and 12345-style hotlines never match these shapes.
 */
const LANDLINE =
  /(?<![\d.])(?:\((0(?:10|2\d|[3-9]\d\d))\) ?|(0(?:10|2\d|[3-9]\d\d))[ -])([2-9]\d{6,7})(?!\d)/g;

/** The written-together form, only right after a phone word (a separate pattern: it scans fast). */
const LANDLINE_AFTER_WORD =
  /(?:电话|座机|固话|热线|联系方式|传真|[Tt][Ee][Ll])(?:号码)?[:：]? ?(0(?:10|2\d|[3-9]\d\d))([2-9]\d{6,7})(?!\d)/g;

/** Allow-listed phone numbers as bare digits (no country code). */
type AllowList = ReadonlySet<string>;

function buildAllowList(entries: readonly string[] | undefined): AllowList {
  const digits = (entries ?? []).map((entry) => stripCountryCode(digitsOnly(normaliseForMatching(entry))));
  return new Set(digits.filter((d) => d.length > 0));
}

function stripCountryCode(digits: string): string {
  if (digits.length === 15 && digits.startsWith('0086')) return digits.slice(4);
  if (digits.length === 13 && digits.startsWith('86')) return digits.slice(2);
  return digits;
}

function findMobiles(norm: string, allow: AllowList, out: Candidate[]): void {
  for (const m of norm.matchAll(MOBILE)) {
    const national = `${m[2]}${m[4]}${m[5]}`;
    if (allow.has(national)) continue;
    const masked = (m[1] ? '+86 ' : '') + keepEnds(national, 3, 4);
    out.push(candidate('mobile', m.index, m.index + m[0].length, masked, 'block', '大陆手机号码'));
  }
}

function findLandlines(norm: string, allow: AllowList, out: Candidate[]): void {
  const found = (start: number, end: number, area: string, local: string) => {
    if (allow.has(area + local) || allow.has(local)) return;
    const masked = `${area}-${keepEnds(local, 0, 4)}`;
    out.push(candidate('landline', start, end, masked, 'warn', '固定电话号码'));
  };
  for (const m of norm.matchAll(LANDLINE)) {
    found(m.index, m.index + m[0].length, m[1] ?? m[2] ?? '', m[3] ?? '');
  }
  for (const m of norm.matchAll(LANDLINE_AFTER_WORD)) {
    const number = `${m[1]}${m[2]}`;
    const end = m.index + m[0].length;
    found(end - number.length, end, m[1] ?? '', m[2] ?? '');
  }
}

// --- 个人邮箱 -------------------------------------------------------------------------------------

/** Starts only at the beginning of an address-like run, so long ASCII runs stay linear. */
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g;

/** Free mail providers individuals use; government (gov.cn) and company domains are not personal. */
const PERSONAL_MAIL_DOMAINS = [
  'qq.com', 'foxmail.com', '163.com', '126.com', 'yeah.net', '188.com', 'sina.com', 'sina.cn',
  'sohu.com', 'aliyun.com', '139.com', '189.cn', 'wo.cn', 'tom.com', '21cn.com', '263.net',
  'gmail.com', 'hotmail.com', 'outlook.com', 'live.com', 'msn.com', 'yahoo.com', 'icloud.com', 'me.com',
]; // prettier-ignore

function personalDomain(domain: string): string | undefined {
  const lower = domain.toLowerCase();
  return PERSONAL_MAIL_DOMAINS.find((d) => lower === d || lower.endsWith(`.${d}`));
}

function findEmails(norm: string, out: Candidate[]): void {
  for (const m of norm.matchAll(EMAIL)) {
    const domain = m[1] ?? '';
    const provider = personalDomain(domain);
    if (!provider) continue;
    const masked = `${m[0].charAt(0)}***@${domain.toLowerCase()}`;
    out.push(candidate('email', m.index, m.index + m[0].length, masked, 'warn', `个人邮箱（${provider}）`));
  }
}

// --- 护照 / 港澳台通行证 --------------------------------------------------------------------------

/** E12345678, EA1234567, C12345678, CA1234567 …: only with a 护照/通行证 word nearby. */
const PASSPORT = /(?<![A-Za-z0-9])(?:[A-Za-z]\d{8}|[A-Za-z]{2}\d{7})(?![A-Za-z0-9])/g;

function findPassports(norm: string, out: Candidate[]): void {
  for (const m of norm.matchAll(PASSPORT)) {
    const end = m.index + m[0].length;
    if (!hasContext(norm, m.index, end, PASSPORT_CONTEXT)) continue;
    const masked = keepEnds(m[0].toUpperCase(), 2, 2);
    out.push(candidate('passport', m.index, end, masked, 'warn', '“护照/通行证”字样附近的证件号码'));
  }
}

// --- 健康信息 -------------------------------------------------------------------------------------

/**
 * Health terms, from the maintained vocabulary (health-terms.ts). A verb (确诊, 患有, 患 …) takes
 * the following Han characters (up to 10) along, so the condition itself is masked with it; a
 * condition named alone is matched longest first and with what belongs to it (艾滋病病毒感染者,
 * 糖尿病并发症), so the mask never leaves part of the condition readable.
 */
const HEALTH_TERM = new RegExp(
  // Verbs factored by hand (被确诊为|被确诊|确诊为|… as one tree); conditions as a prefix tree.
  '(?:被(?:确诊为?|诊断为)|确诊为?|诊断为?|患(?:有|上|(?![者儿]))|罹患|身患)[\\u4e00-\\u9fff]{0,10}' +
    `|(?:${trieSource(conditionTerms())}|${GUARDED_TERMS.join('|')})(?:${trieSource(CONDITION_SUFFIXES)})?`,
  'g',
);

/** How far (UTF-16 units) a health term may be from a name or an ID/phone finding. */
const HEALTH_DISTANCE = 24;

/**
 * Personal-name heuristic (deliberately conservative; it only decides whether a health term is
 * reported as a 提醒). A name is recognised when it is:
 *   A. a common surname + 某/某某/XX/××/* (张某, 李某某) — the usual anonymised form;
 *   B. a role word + surname + 1–2 Han (患者王小明, 村民李四, 姓名：赵六);
 *   C. surname + 1–2 Han + an address (王明先生, 刘芳女士, 张伟同志);
 *   D. surname + 1–2 Han right before the health term, after punctuation or a space (，王小明确诊).
 * Limits: names without such cues (e.g. inside running prose "主任王明介绍") and rare surnames are
 * missed; many surname characters are also common words (高, 方, 明 …), which is why a bare
 * surname + Han is never enough away from the term. Health terms with no name or ID/phone near
 * (policy texts: "加强艾滋病防治") are not findings.
 */
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢' +
  '姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常' +
  '温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴' +
  '霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚' +
  '岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝';

/** The most frequent surnames that are rarely ordinary words: used for the bare form D. */
const COMMON_SURNAMES = '王李张刘陈杨黄赵吴周徐孙胡朱郭林罗郑梁谢宋唐许韩冯邓曹彭曾肖';

const HAN = '\\u4e00-\\u9fff';
const ROLE_WORDS = '患者|病人|病患|居民|村民|市民|群众|职工|员工|学生|当事人|申请人|户主|姓名';

const NAME_WITH_CUE = new RegExp(
  `[${SURNAMES}](?:某某?|XX|xx|××|\\*{1,2})` +
    `|(?:${ROLE_WORDS})[:：]? ?[${SURNAMES}][${HAN}]{1,2}` +
    `|[${SURNAMES}][${HAN}]{1,2}(?:先生|女士|同志)`,
);

const NAME_RIGHT_BEFORE = new RegExp(`[^${HAN}][${COMMON_SURNAMES}][${HAN}]{1,2}$`);

const SENTENCE_END: ReadonlySet<string> = new Set(['。', '!', '?', ';', '\n', '\r']);

/**
 * The stretch around a health term that may tie it to a person: at most HEALTH_DISTANCE units each
 * side, and never past a sentence end, so "……电话0533-1234567。加强艾滋病防治……" stays apart.
 */
function sentenceWindow(norm: string, start: number, end: number): { from: number; to: number } {
  let from = start;
  const minFrom = Math.max(0, start - HEALTH_DISTANCE);
  while (from > minFrom && !SENTENCE_END.has(norm.charAt(from - 1))) from--;
  let to = end;
  const maxTo = Math.min(norm.length, end + HEALTH_DISTANCE);
  while (to < maxTo && !SENTENCE_END.has(norm.charAt(to))) to++;
  return { from, to };
}

/**
 * A person named by a referent instead of a name: 该同志, 该患者, 该职工 …; 患者 opening a clause
 * about their condition (患者确诊…, 患者于3月住院); 其 right before the condition (其患有乙肝).
 * Generic uses stay out: 糖尿病患者可在…, 为患者提供…, 其他, 其中.
 */
const REFERENT = new RegExp(
  '(?:该|此|这名|这位|上述)(?:同志|患者|职工|员工|人员|居民|村民|学生|病人|男子|女子|老人|儿童|当事人|申请人|教师|干部|群众|生)' +
    '|(?<![\\u4e00-\\u9fff])患者(?=[,，]?(?:确诊|患有|被诊断|诊断|因|于|系|经|入院|住院|罹患|身患))' +
    '|其(?=(?:本人)?(?:患有|患(?![者儿])|确诊|被确诊|被诊断|身患|罹患|所患|系))',
  'g',
);

/** A referent in the window that is not part of the term itself (糖尿病患者 names nobody). */
function referentNear(
  norm: string,
  start: number,
  end: number,
  window: { from: number; to: number },
): boolean {
  const text = norm.slice(window.from, window.to);
  for (const m of text.matchAll(REFERENT)) {
    const at = window.from + m.index;
    if (at < start || at >= end) return true;
  }
  return false;
}

function nameNear(norm: string, start: number, end: number, window: { from: number; to: number }): boolean {
  if (NAME_WITH_CUE.test(norm.slice(window.from, window.to))) return true;
  if (referentNear(norm, start, end, window)) return true;
  const from = Math.max(0, start - 4);
  const before = (from === 0 ? ' ' : '') + norm.slice(from, start);
  return NAME_RIGHT_BEFORE.test(before);
}

/** Whether an ID or mobile finding lies inside the window (identifiers sorted by end). */
function identifierIn(identifiers: readonly Candidate[], window: { from: number; to: number }): boolean {
  let lo = 0;
  let hi = identifiers.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((identifiers[mid]?.end ?? 0) <= window.from) lo = mid + 1;
    else hi = mid;
  }
  const next = identifiers[lo];
  return next !== undefined && next.start < window.to;
}

/** Landlines are left out: they are mostly the office's own numbers, not a person's. */
const HEALTH_ANCHOR_KINDS: ReadonlySet<PiiKind> = new Set(['id_card', 'id_card_legacy', 'mobile']);

function findHealth(norm: string, found: readonly Candidate[], out: Candidate[]): void {
  const identifiers = found
    .filter((c) => HEALTH_ANCHOR_KINDS.has(c.kind))
    .sort((a, b) => a.end - b.end || a.start - b.start);
  for (const m of norm.matchAll(HEALTH_TERM)) {
    const start = m.index;
    const end = start + m[0].length;
    const window = sentenceWindow(norm, start, end);
    const byId = identifierIn(identifiers, window);
    if (!byId && !nameNear(norm, start, end, window)) continue;
    const reason = byId ? '健康信息出现在身份证号或手机号附近' : '健康信息出现在姓名附近';
    out.push(candidate('health', start, end, '*'.repeat(m[0].length), 'warn', reason));
  }
}

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/** Keeps, among overlapping candidates, the one with the lowest rank; result sorted by start. */
function resolveOverlaps(candidates: Candidate[]): PiiFinding[] {
  candidates.sort((a, b) => a.start - b.start || a.rank - b.rank);
  const kept: Candidate[] = [];
  for (const c of candidates) {
    const last = kept[kept.length - 1];
    if (last && c.start < last.end) {
      if (c.rank < last.rank) kept[kept.length - 1] = c;
      continue;
    }
    kept.push(c);
  }
  return kept.map(({ kind, start, end, masked, severity, reason }) => ({
    kind,
    start,
    end,
    masked,
    severity,
    reason,
  }));
}

/** Finds personal information; findings are sorted by start and never overlap. */
export function detectPii(text: string, options: PiiOptions = {}): PiiFinding[] {
  const norm = normaliseForMatching(text);
  const allow = buildAllowList(options.allowList);
  const candidates: Candidate[] = [];
  findLongNumbers(norm, candidates);
  findGroupedCards(norm, candidates);
  findMobiles(norm, allow, candidates);
  findLandlines(norm, allow, candidates);
  findEmails(norm, candidates);
  findPassports(norm, candidates);
  findHealth(norm, candidates, candidates);
  return resolveOverlaps(candidates);
}

export function hasBlocking(findings: readonly PiiFinding[]): boolean {
  return findings.some((f) => f.severity === 'block');
}

export interface MaskedText {
  text: string;
  /** Where each finding's masked form sits in `text` (same order as the findings). */
  spans: { start: number; end: number }[];
}

/** Replaces each finding by its masked form; overlapping or out-of-range findings are skipped. */
export function maskTextWithSpans(text: string, findings: readonly PiiFinding[]): MaskedText {
  const ordered = [...findings].sort((a, b) => a.start - b.start);
  const parts: string[] = [];
  const spans: { start: number; end: number }[] = [];
  let cursor = 0;
  let length = 0;
  for (const f of ordered) {
    if (f.start < cursor || f.end > text.length || f.end <= f.start) continue;
    const plain = text.slice(cursor, f.start);
    parts.push(plain, f.masked);
    length += plain.length;
    spans.push({ start: length, end: length + f.masked.length });
    length += f.masked.length;
    cursor = f.end;
  }
  parts.push(text.slice(cursor));
  return { text: parts.join(''), spans };
}

/** The text ready to publish: every finding replaced by its masked form. */
export function maskText(text: string, findings: readonly PiiFinding[]): string {
  return maskTextWithSpans(text, findings).text;
}

/** Masks every finding (block and warn); the logger runs strings through this. */
export function maskPiiForLog(text: string): string {
  const findings = detectPii(text);
  return findings.length === 0 ? text : maskText(text, findings);
}

/**
 * A pino `redact.censor`: masks string values at the redacted paths, recursing into arrays and
 * plain objects (e.g. `redact: { paths: ['text', 'msg.content'], censor: piiCensor }`).
 */
export function piiCensor(value: unknown): unknown {
  if (typeof value === 'string') return maskPiiForLog(value);
  if (Array.isArray(value)) return value.map(piiCensor);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, piiCensor(v)]));
  }
  return value;
}
