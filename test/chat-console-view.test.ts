// The chat console's rules, apart from the terminal: what a typed line means, how a card is shown
// (every field, and its state after an update), and the time zone of its clock.
import { describe, expect, it } from 'vitest';
import type { TemplateCard } from '../src/messages/outbound.js';
import { renderCard, shanghaiClock } from '../src/sandbox/card-view.js';
import { consoleCommand, interpretLine, PasteBuffer, type LineContext } from '../src/sandbox/chat-input.js';

const context = (fresh: number[], known: number[] = fresh): LineContext => ({
  freshCardButtons: fresh,
  knownButtons: (number) => known.includes(number),
});

describe('a typed line', () => {
  it.each([
    [
      'a number of the card that just arrived clicks it',
      '5',
      context([5, 6, 7]),
      { kind: 'click', number: 5 },
    ],
    ['with spaces around it too', ' 6 ', context([5, 6, 7]), { kind: 'click', number: 6 }],
    [
      'a number of an older card is text (typing 1 to choose 开设 once clicked a stale card)',
      '1',
      context([5, 6], [1, 2, 5, 6]),
      { kind: 'text', text: '1', olderButton: 1 },
    ],
    [
      'a number when no card just arrived is text',
      '1',
      context([], [1, 2]),
      { kind: 'text', text: '1', olderButton: 1 },
    ],
    ['a number no card has is plain text', '12', context([5, 6], [5, 6]), { kind: 'text', text: '12' }],
    ['#N always clicks, an older card too', '#1', context([5, 6], [1, 5, 6]), { kind: 'click', number: 1 }],
    ['#N clicks even when a card just arrived', '#2', context([5, 6]), { kind: 'click', number: 2 }],
    ['a year is text', '2026', context([]), { kind: 'text', text: '2026' }],
    ['a task code is text', 'T12', context([1]), { kind: 'text', text: 'T12' }],
    ['text keeps its spaces as typed', '  办理 T1  ', context([]), { kind: 'text', text: '  办理 T1  ' }],
    ['a blank line does nothing', '   ', context([1]), { kind: 'none' }],
    ['/quit', '/quit', context([]), { kind: 'quit' }],
    ['/exit', '/exit', context([]), { kind: 'quit' }],
    ['/paste', '/paste', context([]), { kind: 'paste' }],
    [
      'a slash word the console does not know is text for the bot',
      '/帮助',
      context([]),
      { kind: 'text', text: '/帮助' },
    ],
  ])('%s', (_case, line, ctx, expected) => {
    expect(interpretLine(line, ctx)).toEqual(expected);
  });

  it.each([
    ['/file a b.txt', { kind: 'file', path: 'a b.txt' }],
    ['/image ./p.png', { kind: 'image', path: './p.png' }],
    [
      '/link https://www.zibo.gov.cn/a.html 市政府 通知',
      { kind: 'link', url: 'https://www.zibo.gov.cn/a.html', title: '市政府 通知' },
    ],
    ['/save media_1 out.xlsx', { kind: 'save', mediaId: 'media_1', path: 'out.xlsx' }],
    ['/enter', { kind: 'enter' }],
    ['/file', { kind: 'usage', text: '用法：/file 路径' }],
    ['/link', { kind: 'usage', text: '用法：/link 网址 [标题]' }],
    ['/save media_1', { kind: 'usage', text: '用法：/save media_id 路径' }],
  ])('%s', (line, expected) => {
    expect(consoleCommand(line)).toEqual(expected);
  });
});

describe('paste mode', () => {
  it('keeps every line as typed, blank lines inside included, and drops trailing blank lines', () => {
    const paste = new PasteBuffer();
    for (const line of ['第一段：已整改。', '', '  第二段 缩进保留', '', '']) paste.add(line);
    expect(paste.size).toBe(5);
    expect(paste.take()).toBe('第一段：已整改。\n\n  第二段 缩进保留');
    expect(paste.size).toBe(0);
  });
});

describe('the console clock', () => {
  it.each([
    ['01:00 UTC is 09:00 in Shanghai', '2026-03-20T01:00:00Z', '2026-03-20T02:00:00Z', '09:00'],
    ['16:30 UTC is already the next day there', '2026-03-20T16:30:00Z', '2026-03-21T01:00:00Z', '00:30'],
    ['another Shanghai day shows its date', '2026-03-19T15:59:00Z', '2026-03-20T01:00:00Z', '03-19 23:59'],
  ])('%s', (_case, at, now, expected) => {
    expect(shanghaiClock(new Date(at), new Date(now))).toBe(expected);
  });
});

const FULL_CARD: TemplateCard = {
  card_type: 'button_interaction',
  task_id: 'task-7-zd1-0a1b',
  source: { desc: '督办助手', desc_color: 2 },
  main_title: { title: 'T7 整改网站错别字', desc: '办理情况被退回，请修改后重新提交' },
  emphasis_content: { title: '2', desc: '个工作日后截止' },
  quote_area: {
    type: 1,
    url: 'https://bot.example/board/t/7',
    title: '退回理由',
    quote_text: '附件缺少截图。\n请补充整改前后对比。',
  },
  sub_title_text: '首页栏目“通知公告”有错别字，\n请整改并回复。',
  horizontal_content_list: [
    { keyname: '责任单位', value: '高青县' },
    { keyname: '看板', value: '打开', type: 1, url: 'https://bot.example/board' },
    { keyname: '联络员', value: '黄欣怡', type: 3, userid: 'demo_gaoqing' },
  ],
  jump_list: [{ type: 1, title: '查看进度看板', url: 'https://bot.example/board' }],
  card_action: { type: 1, url: 'https://bot.example/board/t/7' },
  button_list: [
    { text: '提交办理情况', key: 'task:submit:7', style: 1 },
    { text: '申请延期', key: 'task:extend:7', style: 2 },
  ],
};

describe('a template card', () => {
  const shown = renderCard(FULL_CARD, { firstNumber: 4 });

  it.each([
    ['source', '┌ 督办助手 · T7 整改网站错别字'],
    ['main title description', '│ 办理情况被退回，请修改后重新提交'],
    ['emphasis', '│ 2  个工作日后截止'],
    ['quote title', '│ ▎退回理由'],
    ['quote text, every line', '│ ▎附件缺少截图。\n│ ▎请补充整改前后对比。'],
    ['quote link', '│ ▎<https://bot.example/board/t/7>'],
    ['sub-title, every line', '│ 首页栏目“通知公告”有错别字，\n│ 请整改并回复。'],
    ['horizontal content', '│ 责任单位  高青县'],
    ['a horizontal link', '│ 看板  打开 <https://bot.example/board>'],
    ['a horizontal member', '│ 联络员  黄欣怡（成员 demo_gaoqing）'],
    ['jump list', '│ ↗ 查看进度看板 <https://bot.example/board>'],
    ['card action', '│ 点击卡片打开 <https://bot.example/board/t/7>'],
    ['numbered buttons', '│ [4] 提交办理情况  [5] 申请延期'],
  ])('shows the %s', (_field, expected) => {
    expect(shown).toContain(expected);
  });

  it('shows the buttons greyed with the new name after update_button, without numbers', () => {
    const updated = renderCard(FULL_CARD, { firstNumber: 4, state: { replaceName: '已提交' } });
    expect(updated).toContain('│ 〔已提交〕（已更新，不可点击）');
    expect(updated).not.toContain('[4]');
    expect(updated).toContain('│ ▎退回理由');
  });

  it('shows the replacing card after update_template_card, its buttons not clickable', () => {
    const replacement: TemplateCard = {
      card_type: 'text_notice',
      main_title: { title: 'T7 已办结' },
      quote_area: { title: '审核意见', quote_text: '同意。' },
      button_list: [{ text: '查看详情', key: 'task:view:7' }],
    };
    const updated = renderCard(FULL_CARD, { firstNumber: 4, state: { replacedBy: replacement } });
    expect(updated).toContain('┌ T7 已办结');
    expect(updated).toContain('│ ▎同意。');
    expect(updated).toContain('〔查看详情〕（不可点击）');
    expect(updated).not.toContain('退回理由');
  });

  it("shows the card's own replace_text greyed", () => {
    expect(renderCard({ ...FULL_CARD, replace_text: '已处理' }, { firstNumber: 1 })).toContain('〔已处理〕');
  });

  it('colours a red source only when asked to colour', () => {
    expect(renderCard(FULL_CARD, { colour: true })).toContain('\x1b[31m督办助手');
    expect(shown).not.toContain('\x1b[');
  });
});
