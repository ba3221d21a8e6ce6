import { Writable } from 'node:stream';
import { CONDITION_VERBS } from '../src/services/pii/health-terms.js';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import {
  detectPii,
  hasBlocking,
  isValidCreditCode,
  maskPiiForLog,
  maskText,
  maskTextWithSpans,
  normaliseForMatching,
  piiCensor,
  type PiiFinding,
} from '../src/services/pii/detector.js';
import {
  breakIdCheck,
  breakLuhn,
  creditCodeCheckChar,
  idCheckChar,
  makeCard,
  makeCreditCode,
  makeId,
  toFullWidth,
} from './support/pii-vectors.js';

/** The single finding in `text`, or a failure that shows what was found instead. */
function only(text: string, options?: Parameters<typeof detectPii>[1]): PiiFinding {
  const findings = detectPii(text, options);
  expect(findings, text).toHaveLength(1);
  return findings[0] as PiiFinding;
}

const ID_STANDARD_EXAMPLE = makeId('110105', '19491231', '002');
const ID_A = makeId('370303', '19850704', '215');
const ID_LEAP_DAY = makeId('440106', '20000229', '031');
/** Right province and date, wrong ID check digit, yet Luhn-valid with a card prefix (3). */
const MISTYPED_ID_PASSING_LUHN = makeCard(ID_A.slice(0, 17), 18);

describe('test vectors (generators agree with published examples)', () => {
  it('generates the GB 11643 example ID and the Visa test card', () => {
    expect(ID_STANDARD_EXAMPLE).toBe('11010519491231002X');
    expect(makeCard('4', 16, '111111111111111')).toBe('4111111111111111');
    expect(makeCreditCode('91350100M000100Y4')).toBe('91350100M000100Y43');
    expect(MISTYPED_ID_PASSING_LUHN.charAt(17)).not.toBe(ID_A.charAt(17));
  });
});

describe('身份证号', () => {
  it.each([
    ['standard example', `身份证号：${ID_STANDARD_EXAMPLE}。`, ID_STANDARD_EXAMPLE],
    ['lower-case x', `证件 ${ID_STANDARD_EXAMPLE.toLowerCase()} 已核验`, ID_STANDARD_EXAMPLE.toLowerCase()],
    ['digit check', `申请人${ID_A}，`, ID_A],
    ['leap day birth', `（${ID_LEAP_DAY}）`, ID_LEAP_DAY],
    ['full-width digits', `身份证号：${toFullWidth(ID_A)}`, toFullWidth(ID_A)],
    ['no context needed', `${ID_A}`, ID_A],
  ])('%s → block', (_name, text, raw) => {
    const f = only(text);
    expect(f).toMatchObject({ kind: 'id_card', severity: 'block', reason: '校验位正确的18位身份证号' });
    expect(text.slice(f.start, f.end)).toBe(raw);
  });

  it('masks 3 + stars + 4', () => {
    expect(only(ID_STANDARD_EXAMPLE).masked).toBe('110***********002X');
    expect(only(toFullWidth(ID_STANDARD_EXAMPLE)).masked).toBe('110***********002X');
    expect(only(ID_STANDARD_EXAMPLE.toLowerCase()).masked).toBe('110***********002X');
  });

  it.each([
    ['checksum wrong, 证件号 word', `证件号码 ${breakIdCheck(ID_A)}`],
    ['checksum wrong, 公民身份号码 word after', `${breakIdCheck(ID_A)}（公民身份号码）`],
  ])('%s → warn', (_name, text) => {
    expect(only(text)).toMatchObject({ kind: 'id_card', severity: 'warn' });
  });

  it.each([
    ['checksum wrong, after 身份证号', `身份证号：${breakIdCheck(ID_STANDARD_EXAMPLE)}`],
    ['checksum wrong but Luhn-valid (prefix 3), after 身份证', `身份证：${MISTYPED_ID_PASSING_LUHN}`],
    ['impossible date (2月30日), after 身份证号 (issue 19)', '身份证号370322199202301230'],
    ['month 13, after 公民身份号码', `公民身份号码 ${makeId('110105', '19491301', '002')}`],
    ['unknown province, after 身份证号码为', `身份证号码为${makeId('990105', '19491231', '002')}`],
    ['after “身份证号”一栏填写为', `“身份证号”一栏填写为${breakIdCheck(ID_A)}`],
  ])('presented as an ID, %s → block whatever its checks say', (_name, text) => {
    expect(only(text)).toMatchObject({ kind: 'id_card', severity: 'block', reason: '标明为身份证号的号码' });
  });

  it('a 15-digit number presented as an ID blocks, whatever its date', () => {
    expect(only('身份证号：110105491331002')).toMatchObject({ kind: 'id_card_legacy', severity: 'block' });
  });

  it.each([
    ['checksum wrong, no context', `编号${breakIdCheck(ID_STANDARD_EXAMPLE)}`],
    ['impossible date (Feb 31)', makeId('110105', '19490231', '002')],
    ['month 13', makeId('110105', '19491301', '002')],
    ['29 Feb in a non-leap year', makeId('110105', '19490229', '002')],
    ['unknown province code', makeId('990105', '19491231', '002')],
    ['inside a longer digit run', `9${ID_A}1`],
    ['glued to letters', `AB${ID_A}`],
    ['glued to a letter after', `${ID_STANDARD_EXAMPLE}Y`],
  ])('%s → nothing', (_name, text) => {
    expect(detectPii(text)).toEqual([]);
  });

  it.each([
    ['110105491231002', '110********1002'],
    ['370303850704215', '370********4215'],
  ])('15-digit legacy %s with a valid date → warn', (raw, masked) => {
    const f = only(`旧证号${raw}。`);
    expect(f).toMatchObject({ kind: 'id_card_legacy', severity: 'warn', masked });
  });

  it.each([['110105491331002'], ['110105490230002']])('15-digit %s with an invalid date → nothing', (raw) => {
    expect(detectPii(`编号${raw}`)).toEqual([]);
  });
});

describe('手机号', () => {
  it.each([
    ['plain', '联系电话13812345678。', '138****5678'],
    ['spaces 3-4-4', '电话：138 1234 5678', '138****5678'],
    ['dashes 3-4-4', '电话：138-1234-5678', '138****5678'],
    ['+86', '+86 13912345678', '+86 139****5678'],
    ['+86 with dashes', '+86-159-1234-5678', '+86 159****5678'],
    ['0086', '008619912345678', '+86 199****5678'],
    ['full-width digits', '手机：１３８１２３４５６７８', '138****5678'],
    ['full-width plus and ideographic spaces', '＋８６　１７７　１２３４　５６７８', '+86 177****5678'],
    ['next to Han text', '张三13612345678李四', '136****5678'],
    ['table columns separated by a space', '1 13812345678 2023', '138****5678'],
  ])('%s → block %s', (_name, text, masked) => {
    const f = only(text);
    expect(f).toMatchObject({ kind: 'mobile', severity: 'block', masked, reason: '大陆手机号码' });
    expect(normaliseForMatching(text.slice(f.start, f.end)).replace(/\D/g, '')).toMatch(/1[3-9]\d{9}$/);
  });

  it.each([
    ['second digit 2', '12812345678'],
    ['12 digits', '138123456789'],
    ['inside an order number', '订单号2023032113812345678'],
    ['after a decimal point', '比例0.13812345678'],
    ['an amount in yuan', '全年投资13800000000元'],
    ['an amount in 万元', '13800000000 万元'],
    ['mixed separators', '138 1234-5678'],
  ])('%s → nothing', (_name, text) => {
    expect(detectPii(text)).toEqual([]);
  });

  it('an allow-listed mobile hotline is not a finding', () => {
    expect(detectPii('市民热线13812345678', { allowList: ['138-1234-5678'] })).toEqual([]);
  });
});

const UNIONPAY_16 = makeCard('622202', 16, '0212345678');
const UNIONPAY_19 = makeCard('621700', 19, '2345678901234');
const VISA = makeCard('4367', 16, '42123456789');
const MASTER = makeCard('5', 16, '21234567890123');
const NO_PREFIX = makeCard('88', 16, '12345678901234');
const ORDER_19 = breakLuhn(makeCard('622202', 19, '0212345678901'));

describe('银行卡号', () => {
  it.each([
    ['UnionPay 16', UNIONPAY_16, `转入${UNIONPAY_16}`],
    ['UnionPay 19', UNIONPAY_19, `${UNIONPAY_19}`],
    ['Visa', VISA, `信用卡${VISA}`],
    ['Mastercard', MASTER, `(${MASTER})`],
    ['no card prefix but 卡号', NO_PREFIX, `卡号：${NO_PREFIX}`],
    ['no card prefix but 开户行', NO_PREFIX, `开户行：工商银行，${NO_PREFIX}`],
  ])('%s → block', (_name, digits, text) => {
    const f = only(text);
    expect(f).toMatchObject({ kind: 'bank_card', severity: 'block' });
    expect(f.masked).toBe(`${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}`);
  });

  it('masks 6 + stars + 4', () => {
    expect(only(UNIONPAY_16).masked).toMatch(/^622202\*{6}\d{4}$/);
  });

  it.each([
    ['groups of 4 with spaces', UNIONPAY_16.replace(/(\d{4})(?=\d)/g, '$1 ')],
    ['19 digits in groups', UNIONPAY_19.replace(/(\d{4})(?=\d)/g, '$1 ')],
    ['full-width groups', toFullWidth(UNIONPAY_16.replace(/(\d{4})(?=\d)/g, '$1 '))],
  ])('%s → block, offsets cover the groups', (_name, raw) => {
    const text = `账号：${raw}。`;
    const f = only(text);
    expect(f).toMatchObject({ kind: 'bank_card', severity: 'block' });
    expect(text.slice(f.start, f.end)).toBe(raw);
  });

  it.each([['fails Luhn, 银行 (not a label)', `中国银行 ${breakLuhn(NO_PREFIX)}`]])(
    '%s → warn',
    (_name, text) => {
      expect(only(text)).toMatchObject({ kind: 'bank_card', severity: 'warn' });
    },
  );

  it.each([
    ['fails Luhn, after 账号', `账号：${breakLuhn(UNIONPAY_16)}`],
    ['fails Luhn, no prefix, after 卡号 (issue 19)', `卡号${breakLuhn(NO_PREFIX)}`],
    ['fails Luhn, after 银行卡号', `银行卡号 ${breakLuhn(UNIONPAY_19)}`],
    [
      'fails Luhn, grouped, after 银行卡',
      `银行卡：${breakLuhn(UNIONPAY_16).replace(/(\d{4})(?=\d)/g, '$1 ')}`,
    ],
  ])('presented as a card, %s → block whatever its checksum', (_name, text) => {
    expect(only(text)).toMatchObject({
      kind: 'bank_card',
      severity: 'block',
      reason: '标明为卡号/账号的号码',
    });
  });

  it.each([
    ['long order number failing Luhn', `订单号${ORDER_19}`],
    ['Luhn-valid but no prefix and no context', `流水号${NO_PREFIX}`],
    ['20 digits', `${UNIONPAY_19}1`],
    ['24-digit serial', '编号202303211234567890123456'],
  ])('%s → nothing', (_name, text) => {
    expect(detectPii(text)).toEqual([]);
  });

  it('an 18-digit valid ID is an ID, not a card', () => {
    expect(only(`银行卡号 ${ID_A}`).kind).toBe('id_card');
  });
});

describe('固定电话', () => {
  it.each([
    ['dash', '电话：0533-2345678', '0533-***5678'],
    ['8-digit local', '0533-23456789', '0533-****6789'],
    ['parentheses', '(0533)2345678', '0533-***5678'],
    ['full-width parentheses', '（0533）2345678', '0533-***5678'],
    ['space', '0533 23456789', '0533-****6789'],
    ['Beijing', '010-62345678', '010-****5678'],
    ['full-width digits', '０５３３－２３４５６７８', '0533-***5678'],
    ['written together after 电话', '联系电话：05332345678', '0533-***5678'],
    ['written together after 座机', '座机 01062345678', '010-****5678'],
    ['written together after Tel', 'Tel:053323456789', '0533-****6789'],
  ])('%s → warn %s', (_name, text, masked) => {
    expect(only(text)).toMatchObject({ kind: 'landline', severity: 'warn', masked });
  });

  it.each([
    ['400 number', '客服400-123-4567'],
    ['800 number', '800-820-8820'],
    ['400 without dashes', '4008123123'],
    ['12345 hotline', '拨打12345'],
    ['12315 hotline', '投诉请拨12315。'],
    ['local part starting with 1', '0533-1234567'],
    ['a date', '2023-03-21'],
    ['a time', '08:36:56'],
    ['written together with no phone word (an order number)', '订单号05332345678'],
  ])('%s → nothing', (_name, text) => {
    expect(detectPii(text)).toEqual([]);
  });

  it.each([
    ['same format', '0533-3181234', '咨询电话0533-3181234'],
    ['other format', '(0533)3181234', '咨询电话 0533 3181234'],
    ['local part only', '3181234', '咨询电话0533-3181234'],
  ])('allow-list entry in %s is not a finding', (_name, entry, text) => {
    expect(detectPii(text, { allowList: [entry] })).toEqual([]);
    expect(detectPii(text)).toHaveLength(1);
  });
});

describe('个人邮箱', () => {
  it.each([
    ['qq', 'abc123@qq.com', 'a***@qq.com'],
    ['163 sub-domain', 'Zhang.San@vip.163.com', 'Z***@vip.163.com'],
    ['126', 'x@126.com', 'x***@126.com'],
    ['gmail', 'someone@gmail.com', 's***@gmail.com'],
    ['full-width at sign', 'abc＠qq.com', 'a***@qq.com'],
  ])('%s → warn', (_name, raw, masked) => {
    const text = `请发送至${raw}。`;
    const f = only(text);
    expect(f).toMatchObject({ kind: 'email', severity: 'warn', masked });
    expect(text.slice(f.start, f.end)).toBe(raw);
  });

  it.each([['zwgk@zibo.gov.cn'], ['office@shandong.gov.cn'], ['info@company.com.cn'], ['qq.com']])(
    '%s → nothing',
    (raw) => {
      expect(detectPii(`邮箱：${raw}。`)).toEqual([]);
    },
  );
});

describe('护照 / 通行证', () => {
  it.each([
    ['passport E', '护照号码：E12345678'],
    ['passport EA', '护照 EA1234567'],
    ['HK-Macao permit', '港澳通行证C12345678。'],
    ['word after', 'G12345678（护照）'],
  ])('%s → warn', (_name, text) => {
    expect(only(text)).toMatchObject({ kind: 'passport', severity: 'warn' });
  });

  it('masks 2 + stars + 2', () => {
    expect(only('护照号码：E12345678').masked).toBe('E1*****78');
  });

  it.each([['E12345678'], ['型号AB1234567'], ['护照E1234567890']])('%s → nothing', (text) => {
    expect(detectPii(text)).toEqual([]);
  });
});

describe('健康信息', () => {
  it.each([
    ['某-style name', '患者张某确诊乙肝，已住院治疗。', '确诊乙肝'],
    ['role word + name', '村民王小明患有精神疾病。', '患有精神疾病'],
    ['address form', '刘芳女士有病史记录。', '病史'],
    ['name right before the term', '经核实，李四患有尿毒症', '患有尿毒症'],
    ['XX-style name', '申请人赵XX，残疾等级为二级', '残疾等级'],
  ])('%s → warn', (_name, text, term) => {
    const f = only(text);
    expect(f).toMatchObject({ kind: 'health', severity: 'warn', reason: '健康信息出现在姓名附近' });
    expect(text.slice(f.start, f.end)).toBe(term);
    expect(f.masked).toBe('*'.repeat(term.length));
  });

  it.each([
    ['该同志 (issue 19)', '该同志患有乙肝，已调整岗位。', '患有乙肝'],
    ['该患者', '该患者诊断为肺结核。', '诊断为肺结核'],
    ['该职工, 患 + a chronic complication (issue 19)', '该职工患糖尿病并发症多年', '患糖尿病并发症多年'],
    ['其', '其患有抑郁症，长期休养。', '患有抑郁症'],
    ['患者 opening the clause', '患者确诊为新冠肺炎。', '确诊为新冠肺炎'],
    ['the whole condition term is masked (issue 19)', '救助对象李某系艾滋病病毒感染者。', '艾滋病病毒感染者'],
    ['a disability certificate', '该村民持有肢体残疾证。', '肢体残疾证'],
    ['mental health', '张某某患双相情感障碍', '患双相情感障碍'],
  ])('a person named by a referent or a name: %s → warn, whole term masked', (_name, text, term) => {
    const f = only(text);
    expect(f).toMatchObject({ kind: 'health', severity: 'warn' });
    expect(text.slice(f.start, f.end)).toBe(term);
    expect(maskText(text, [f])).toBe(text.replace(term, '*'.repeat(term.length)));
  });

  it.each(CONDITION_VERBS)('the verb %s takes the condition after it along', (verb) => {
    const text = `该同志${verb}乙肝。`;
    const f = only(text);
    expect(text.slice(f.start, f.end)).toBe(`${verb}乙肝`);
  });

  it('next to an ID finding', () => {
    const text = `${ID_A}，体检结果异常`;
    const findings = detectPii(text);
    expect(findings.map((f) => f.kind)).toEqual(['id_card', 'health']);
    expect(findings[1]?.reason).toBe('健康信息出现在身份证号或手机号附近');
  });

  it.each([
    ['policy text', '加强艾滋病防治工作，提升基层医疗机构诊断能力。'],
    ['term in the next sentence after an office landline', '咨询电话：0533-2345678。加强艾滋病防治宣传。'],
    ['surname character inside a word', '医院提高诊断水平'],
    ['name far away', `张某参加了会议。${'会议还研究了其他事项'.repeat(3)}，加强传染病防控`],
    ['患者 as a group', '为糖尿病患者提供门诊慢特病保障。'],
    ['其 in 其他/其中', '其他事项另行通知，其中糖尿病防治由卫健委负责。'],
    ['中风险 is not 中风', '该同志从中风险地区返回。'],
  ])('%s → no health finding', (_name, text) => {
    expect(detectPii(text).filter((f) => f.kind === 'health')).toEqual([]);
  });
});

describe('not personal information', () => {
  const letterCredit = makeCreditCode('91370300MA3C12345');
  const digitCredit = makeCreditCode('12370300004123456');
  /** An all-digit credit code that is ALSO a valid ID: only the label tells them apart. */
  const ambiguous = '370303199001010041';

  it('the ambiguous vector really is both', () => {
    expect(idCheckChar(ambiguous.slice(0, 17))).toBe(ambiguous.charAt(17));
    expect(creditCodeCheckChar(ambiguous.slice(0, 17))).toBe(ambiguous.charAt(17));
    expect(isValidCreditCode(letterCredit)).toBe(true);
    expect(isValidCreditCode(breakIdCheck(letterCredit))).toBe(false);
  });

  it.each([
    ['credit code with letters', `统一社会信用代码：${letterCredit}`],
    ['all-digit credit code', `统一社会信用代码：${digitCredit}`],
    ['all-digit credit code, unlabelled', `${digitCredit}`],
    ['credit code that is also a valid ID, labelled', `统一社会信用代码：${ambiguous}`],
    ['document number', '《国务院办公厅关于加强政府网站域名管理的通知》（国办函〔2018〕55号）'],
    ['local document number', '淄政办字〔2023〕12号'],
    ['Chinese date', '2023年3月21日'],
    ['compact date', '于20230321前报送'],
    ['ISO timestamp', '发布日期: 2023-03-20 08:36:56'],
    ['amount with separators', '1,380,000元'],
    ['amount with decimals', '￥13,800,000.00'],
    ['site code', '网站标识码3703000027'],
    ['ICP record', '鲁ICP备05045457号-1'],
    ['public-security record', '鲁公网安备 37030302000123号'],
    ['percentages', '增长13.8%，达到1381.2345万'],
    ['the notice itself', '纳入全国政务新媒体信息报送系统管理的政务新媒体账号有660个（微信公众号437个）'],
  ])('%s → nothing', (_name, text) => {
    expect(detectPii(text)).toEqual([]);
  });

  it('the ambiguous vector without a label is treated as an ID', () => {
    expect(only(ambiguous).kind).toBe('id_card');
  });
});

describe('mixed text', () => {
  const mobile = '１３９１２３４５６７８';
  const text =
    `关于张某某的来信：身份证号${ID_STANDARD_EXAMPLE}，手机${mobile}；` +
    `开户行：淄博银行，账号：${UNIONPAY_16}。邮箱zhangsan@163.com。` +
    `根据国办函〔2018〕55号，于2023年3月21日前办结，金额1,380,000元。咨询电话（0533）2345678。`;

  it('finds every item, sorted by start, non-overlapping, with original offsets', () => {
    const findings = detectPii(text);
    expect(findings.map((f) => [f.kind, f.severity])).toEqual([
      ['id_card', 'block'],
      ['mobile', 'block'],
      ['bank_card', 'block'],
      ['email', 'warn'],
      ['landline', 'warn'],
    ]);
    for (let i = 1; i < findings.length; i++) {
      expect(findings[i]!.start).toBeGreaterThanOrEqual(findings[i - 1]!.end);
    }
    expect(findings.map((f) => text.slice(f.start, f.end))).toEqual([
      ID_STANDARD_EXAMPLE,
      mobile,
      UNIONPAY_16,
      'zhangsan@163.com',
      '（0533）2345678',
    ]);
    expect(hasBlocking(findings)).toBe(true);
  });

  it('maskText gives the publishable text', () => {
    const masked = maskText(text, detectPii(text));
    expect(masked).toBe(
      '关于张某某的来信：身份证号110***********002X，手机139****5678；' +
        `开户行：淄博银行，账号：622202******${UNIONPAY_16.slice(-4)}。邮箱z***@163.com。` +
        '根据国办函〔2018〕55号，于2023年3月21日前办结，金额1,380,000元。咨询电话0533-***5678。',
    );
    expect(detectPii(masked)).toEqual([]);
  });

  it('offsets stay right after characters outside the BMP', () => {
    const withEmoji = `😀📎 手机13812345678`;
    const f = only(withEmoji);
    expect(withEmoji.slice(f.start, f.end)).toBe('13812345678');
  });

  it('maskTextWithSpans reports where each mask landed', () => {
    const sample = `甲13812345678乙${ID_A}丙`;
    const { text: masked, spans } = maskTextWithSpans(sample, detectPii(sample));
    expect(spans.map((s) => masked.slice(s.start, s.end))).toEqual([
      '138****5678',
      '370***********' + ID_A.slice(-4),
    ]);
  });

  it('hasBlocking is false for warn-only findings', () => {
    expect(hasBlocking(detectPii('电话0533-2345678'))).toBe(false);
    expect(hasBlocking([])).toBe(false);
  });
});

describe('logging', () => {
  it('maskPiiForLog masks block and warn findings and leaves clean text alone', () => {
    expect(maskPiiForLog(`用户发送：${ID_A}，0533-2345678`)).toBe(
      `用户发送：370***********${ID_A.slice(-4)}，0533-***5678`,
    );
    expect(maskPiiForLog('国办函〔2018〕55号')).toBe('国办函〔2018〕55号');
  });

  it('piiCensor works as a pino redaction censor, also inside nested values', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = pino({ redact: { paths: ['text', 'message'], censor: piiCensor } }, sink);
    log.info({ text: '手机13812345678', message: { parts: ['邮箱abc@qq.com'] }, other: 1 }, 'inbound');
    const entry = JSON.parse(lines.join('')) as Record<string, unknown>;
    expect(entry.text).toBe('手机138****5678');
    expect(entry.message).toEqual({ parts: ['邮箱a***@qq.com'] });
    expect(entry.other).toBe(1);
  });
});
