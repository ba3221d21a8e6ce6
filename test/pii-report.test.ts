import { describe, expect, it } from 'vitest';
import { detectPii } from '../src/services/pii/detector.js';
import {
  NO_FINDINGS_TEXT,
  WECOM_TEXT_MAX_BYTES,
  formatPiiReport,
  formatSubmissionGate,
  summariseFindings,
  truncateToBytes,
} from '../src/services/pii/report.js';
import { makeId } from './support/pii-vectors.js';

const ID = makeId('370303', '19850704', '215');
const MASKED_ID = `370***********${ID.slice(-4)}`;
const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

function report(text: string): string {
  return formatPiiReport(text, detectPii(text));
}

describe('formatPiiReport', () => {
  it('says so when nothing is found', () => {
    expect(report('根据国办函〔2018〕55号，于2023年3月21日前报送。')).toBe(NO_FINDINGS_TEXT);
    expect(NO_FINDINGS_TEXT).toBe('未发现个人信息。');
  });

  it('lists findings with type, masked value, severity and a masked quote, then the masked text', () => {
    const text = `来信人张某某，身份证号${ID}，联系电话13812345678，座机0533-2345678。`;
    expect(report(text)).toBe(
      [
        '发现 3 处个人信息（拦截 2 处，提醒 1 处）：',
        `1. 身份证号 ${MASKED_ID}【拦截】`,
        `   “…信人张某某，身份证号${MASKED_ID}，联系电话138**…”`,
        '2. 手机号 138****5678【拦截】',
        `   “…${MASKED_ID.slice(-5)}，联系电话138****5678，座机0533-**…”`,
        '3. 固定电话 0533-***5678【提醒】',
        '   “…***5678，座机0533-***5678。”',
        '',
        '脱敏后文本：',
        `来信人张某某，身份证号${MASKED_ID}，联系电话138****5678，座机0533-***5678。`,
      ].join('\n'),
    );
  });

  it('quotes on one line even when the context has line breaks', () => {
    const out = report('第一行\n手机13812345678\n第三行');
    expect(out).toContain('“第一行 手机138****5678 第三行”');
  });

  it('never contains a raw value', () => {
    const text = `身份证号${ID}，手机13812345678，邮箱zhangsan@qq.com`;
    const out = report(text);
    for (const raw of [ID, '13812345678', 'zhangsan@qq.com']) expect(out).not.toContain(raw);
  });

  it('truncates a long masked text to stay within one WeCom message', () => {
    const text = `联系电话13812345678。${'各级各部门要认真学习个人信息保护法有关规定。'.repeat(200)}`;
    const out = report(text);
    expect(bytes(out)).toBeLessThanOrEqual(WECOM_TEXT_MAX_BYTES);
    expect(out).toMatch(/……（全文共 \d+ 字，仅显示前 \d+ 字，请分段发送查看全部）$/);
    expect(out).toContain('脱敏后文本：\n联系电话138****5678。各级各部门');
  });

  it('shortens the list itself when there are many findings', () => {
    const text = Array.from(
      { length: 120 },
      (_, i) => `第${i}户电话1381234${String(i).padStart(4, '0')}；`,
    ).join('');
    const out = report(text);
    expect(bytes(out)).toBeLessThanOrEqual(WECOM_TEXT_MAX_BYTES);
    expect(out).toMatch(/^发现 120 处个人信息（拦截 120 处）：\n1\. 手机号 138\*\*\*\*0000【拦截】/);
    expect(out).toMatch(/……另有 \d+ 处未列出\n\n脱敏后文本：/);
  });
});

describe('formatSubmissionGate', () => {
  it('passes clean submissions', () => {
    expect(formatSubmissionGate([])).toEqual({ outcome: 'pass' });
  });

  it('stops a submission with a block finding and asks to resend', () => {
    const text = `整改回复：已联系当事人（电话13812345678），座机0533-2345678。`;
    const gate = formatSubmissionGate(detectPii(text), text);
    expect(gate.outcome).toBe('block');
    if (gate.outcome === 'pass') return;
    expect(gate.message).toBe(
      [
        '提交未受理：内容中含有不应公开的个人信息（拦截 1 处，提醒 1 处）：',
        '1. 手机号 138****5678【拦截】',
        '   “…：已联系当事人（电话138****5678），座机0533-*…”',
        '2. 固定电话 0533-***5678【提醒】',
        '   “…**5678），座机0533-***5678。”',
        '请删除或脱敏上述信息（如 138****5678）后重新发送。',
      ].join('\n'),
    );
  });

  it('shows the blocked kind’s own masked form as the example', () => {
    const text = '联系人身份证110101199003074514';
    const gate = formatSubmissionGate(detectPii(text), text);
    expect(gate.outcome).toBe('block');
    if (gate.outcome === 'pass') return;
    expect(gate.message).toContain('请删除或脱敏上述信息（如 110***********4514）后重新发送。');
  });

  it('asks for 确认 when there are only warn findings', () => {
    const findings = detectPii('请发送至abc@qq.com');
    const gate = formatSubmissionGate(findings);
    expect(gate).toEqual({
      outcome: 'confirm',
      message:
        '内容中可能含有个人信息（提醒 1 处）：\n1. 个人邮箱 a***@qq.com【提醒】\n' +
        '如确认无误、仍需保存，请回复“确认”；如需修改，请重新发送。',
    });
  });

  it('stays within one message with many findings', () => {
    const text = `${ID}，`.repeat(300);
    const gate = formatSubmissionGate(detectPii(text), text);
    expect(gate.outcome).toBe('block');
    if (gate.outcome === 'pass') return;
    expect(bytes(gate.message)).toBeLessThanOrEqual(WECOM_TEXT_MAX_BYTES);
    expect(gate.message).toMatch(/……另有 \d+ 处未列出\n请删除或脱敏/);
  });
});

describe('summariseFindings', () => {
  it('keeps kind, severity and masked value only', () => {
    const text = `身份证号${ID}，邮箱abc@qq.com`;
    const summary = summariseFindings(detectPii(text));
    expect(summary).toEqual([
      { kind: 'id_card', severity: 'block', masked: MASKED_ID },
      { kind: 'email', severity: 'warn', masked: 'a***@qq.com' },
    ]);
    expect(JSON.stringify(summary)).not.toContain(ID);
  });
});

describe('truncateToBytes', () => {
  it.each([
    ['ASCII', 'abcdef', 4, 'abcd'],
    ['Han (3 bytes each)', '个人信息', 7, '个人'],
    ['emoji is not split', 'a😀b', 4, 'a'],
    ['fits already', '确认', 6, '确认'],
  ])('%s', (_name, input, max, expected) => {
    expect(truncateToBytes(input, max)).toBe(expected);
  });
});
