// How a long reply is cut into messages (fullReplyParts): within the byte cap, at sentence ends,
// each part neutralised on its own, and null past six parts (then it goes as a file).
import { describe, expect, it } from 'vitest';
import { fullReplyParts, REPLY_MAX_PARTS } from '../src/services/tasks/views.js';

const reply = (text: string) => ({ text, submittedAt: new Date('2026-03-20T01:00:00Z') });
const body = (part: string) => part.split('\n').slice(1).join('\n');

describe('fullReplyParts', () => {
  it('keeps a short reply in one part with its heading', () => {
    expect(fullReplyParts('T3', reply('已整改。\n\n详见附件。'), '张一')).toEqual([
      '**T3 办理情况全文（1/1）**\u3000张一 2026-03-20（周五）09:00 提交\n已整改。\n详见附件。',
    ]);
  });

  it.each([
    ['a paragraph over the cap, cut where a sentence ends', '整改到位。'.repeat(80), 400],
    ['one sentence over the cap, cut by characters', '整'.repeat(400), 400],
    ['many short lines', Array.from({ length: 60 }, (_, i) => `第${i}项已完成`).join('\n'), 400],
  ])('%s: every part within the cap, nothing lost', (_name, text, maxBytes) => {
    const parts = fullReplyParts('T3', reply(text), '张一', maxBytes)!;
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(maxBytes);
    expect(parts.map(body).join('').replace(/\n/g, '')).toBe(text.replace(/\n/g, ''));
  });

  it('ends a part at a sentence end when it can', () => {
    const parts = fullReplyParts('T3', reply('整改到位。'.repeat(80)), '张一', 400)!;
    for (const part of parts) expect(part.endsWith('。')).toBe(true);
  });

  it('neutralises a part that starts mid-paragraph with a heading mark or a link', () => {
    const text = `${'甲'.repeat(100)}。# 假标题[点此](http://evil.example)。`;
    const parts = fullReplyParts('T3', reply(text), '张一', 400)!;
    expect(parts).toHaveLength(2);
    expect(body(parts[1]!).startsWith('\u200B#')).toBe(true);
    expect(parts[1]).not.toContain('](http');
  });

  it('gives up past six parts (the reply is then sent as a file)', () => {
    expect(REPLY_MAX_PARTS).toBe(6);
    expect(fullReplyParts('T3', reply('整改到位。'.repeat(3000)), '张一')).toBeNull();
  });
});
