// How the status model reads in chat, from hand-built models: WeCom's 2048-byte limit, lists cut
// with "另有 N 个单位" at their limits (or earlier when the bytes run out), sections packed in order
// into as few messages as fit, and nothing split inside a section.
import { describe, expect, it } from 'vitest';
import { MAX_CONTENT_BYTES, type OutMessage } from '../src/messages/outbound.js';
import { WorkCalendar } from '../src/services/calendar/calendar.js';
import { viewDeadline } from '../src/services/calendar/deadline-text.js';
import type {
  BatchProgress,
  DetailItem,
  ProgressModel,
  TaskCounts,
  UnitDetail,
  UnitFlag,
} from '../src/services/progress/model.js';
import {
  LIST_LIMITS,
  boundedSection,
  overdueMessages,
  packSections,
  progressMessages,
  unitDetailMessages,
  urgeUnitCard,
  URGE_VIEW_KEY,
  weeklyReportMessages,
} from '../src/services/progress/views.js';
import { parseUrgeTarget } from '../src/services/progress/urge.js';
import { endOfShanghaiDay, parseShanghaiDateTime } from '../src/services/calendar/time.js';

const calendar = WorkCalendar.create();
const now = parseShanghaiDateTime('2026-02-14 10:00');
const view = (day: string) =>
  viewDeadline(calendar, endOfShanghaiDay(day as `${number}-${number}-${number}`), now);
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const contents = (messages: OutMessage[]) =>
  messages.map((message) => (message.type === 'markdown' ? message.content : ''));

const counts = (overdue: number): TaskCounts => ({
  total: 10 + overdue,
  done: 4,
  submitted: 3,
  pending: 3,
  overdue,
  lateSubmitted: 1,
});

function flag(i: number, colour: 'red' | 'yellow', name = `第${i}区`): UnitFlag {
  const due = colour === 'red' ? '2026-02-12' : '2026-02-24';
  return {
    unitId: i,
    unitName: name,
    unitKind: 'district',
    colour,
    byKind: { task: 2, guestbook: 1 },
    tasks: 2,
    guestbook: 1,
    caseCalls: 0,
    count: 3,
    deadline: endOfShanghaiDay(due),
    view: view(due),
  };
}

function batch(i: number): BatchProgress {
  return {
    key: `batch:${i}`,
    noticeId: null,
    title: `第${i}批整改任务：首页信息更新不及时`,
    taskTitles: [`第${i}批整改任务`],
    kinds: ['rectification'],
    batchIds: [i],
    legacyKeys: [],
    firstTaskId: i,
    assignedAt: now,
    createdBy: 'sup',
    earliestDeadline: endOfShanghaiDay('2026-02-24'),
    latestDeadline: endOfShanghaiDay('2026-02-24'),
    view: view('2026-02-24'),
    counts: counts(2),
  };
}

function model(
  options: { batches?: number; red?: number; yellow?: number; names?: string[] } = {},
): ProgressModel {
  const batches = Array.from({ length: options.batches ?? 2 }, (_, i) => batch(i + 1));
  return {
    now,
    scope: null,
    batches,
    totals: counts(4),
    red: Array.from({ length: options.red ?? 2 }, (_, i) => flag(i + 1, 'red', options.names?.[i])),
    yellow: Array.from({ length: options.yellow ?? 1 }, (_, i) => flag(100 + i, 'yellow')),
    caseCalls: [],
    guestbook: { red: 0, yellow: 0, items: [] },
    filings: { red: 0, yellow: 0, items: [] },
    details: [],
    activity: null,
  };
}

describe('packSections', () => {
  it('keeps sections whole and in order, each message within the limit', () => {
    const sections = Array.from({ length: 12 }, (_, i) => [
      `**第${i}节**`,
      ...Array.from({ length: 8 }, () => '内容'.repeat(10)),
    ]);
    const messages = packSections(sections);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) expect(bytes(message)).toBeLessThanOrEqual(MAX_CONTENT_BYTES);
    expect(messages.join('\n\n')).toBe(sections.map((section) => section.join('\n')).join('\n\n'));
    // No message starts in the middle of a section.
    for (const message of messages) expect(message.startsWith('**第')).toBe(true);
  });

  it('puts small sections together in one message and skips empty ones', () => {
    expect(packSections([['a'], [], ['b', 'c']])).toEqual(['a\n\nb\nc']);
  });
});

describe('boundedSection', () => {
  it('stops at the limit with "另有 N" and the pointer', () => {
    const entries = Array.from({ length: 20 }, (_, i) => [`> 单位${i}`]);
    const lines = boundedSection(['**标题**'], entries, { limit: 5, noun: '个单位', pointer: 'export' });
    expect(lines).toHaveLength(7);
    expect(lines.at(-1)).toBe('<font color="comment">另有 15 个单位，发送“导出进度”获取完整表格。</font>');
  });

  it('stops earlier when the bytes run out', () => {
    const entries = Array.from({ length: 20 }, (_, i) => [`> ${'很长的单位名称'.repeat(12)}${i}`]);
    const lines = boundedSection(['**标题**'], entries, { limit: 15, noun: '个单位', pointer: 'none' });
    expect(bytes(lines.join('\n'))).toBeLessThanOrEqual(MAX_CONTENT_BYTES);
    const shown = lines.length - 2;
    expect(shown).toBeLessThan(15);
    expect(lines.at(-1)).toBe(`<font color="comment">另有 ${20 - shown} 个单位。</font>`);
  });

  it('counts the items the model did not list (total)', () => {
    const lines = boundedSection(['**留言**'], [['> L1']], {
      limit: 5,
      noun: '条',
      pointer: 'none',
      total: 130,
    });
    expect(lines.at(-1)).toBe('<font color="comment">另有 129 条。</font>');
  });
});

describe('进度', () => {
  it('a short status is one message, with no "另有"', () => {
    const messages = contents(progressMessages(model()));
    expect(messages).toHaveLength(1);
    const [text] = messages;
    expect(text).toContain('**督办进度**\u30002026-02-14（周六）10:00');
    expect(text).toContain(
      '未办结任务 2 批 14 项：已办结 4 · 已提交待审 3 · 待办 3 · <font color="warning">逾期 4</font>（其中逾期提交 1）',
    );
    expect(text).toContain('> **T1起** 第1批整改任务：首页信息更新不及时（整改 · 12 项）');
    expect(text).toContain('> 第1区：3 项（任务 2、留言 1），已逾期2个工作日');
    expect(text).toContain('> 第100区：3 项（任务 2、留言 1），还剩1个工作日');
    expect(text).not.toContain('另有');
  });

  it(`a long status is split at section boundaries and cut to ${LIST_LIMITS.units} units per list`, () => {
    const messages = contents(progressMessages(model({ batches: 30, red: 60, yellow: 40 })));
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) expect(bytes(message)).toBeLessThanOrEqual(MAX_CONTENT_BYTES);
    const all = messages.join('\n\n');
    expect(all).toContain(`另有 ${30 - LIST_LIMITS.batches} 批，发送“导出进度”获取完整表格。`);
    expect(all).toContain(`另有 ${60 - LIST_LIMITS.units} 个单位，发送“导出进度”获取完整表格。`);
    expect(all).toContain(`另有 ${40 - LIST_LIMITS.units} 个单位，发送“导出进度”获取完整表格。`);
    // In order: header, batches, red, yellow, footer; each heading opens a message or follows a blank line.
    const order = ['**督办进度**', '**任务批次**', '逾期单位', '临期单位', '发送“进度 单位名”'];
    const positions = order.map((marker) => all.indexOf(marker));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(messages[0]!.startsWith('**督办进度**')).toBe(true);
  });

  it('long unit names cut the list by bytes before the count limit', () => {
    const names = Array.from({ length: 15 }, (_, i) => `${'淄博市某某某某某某局下属某某中心'.repeat(3)}${i}`);
    const messages = contents(overdueMessages(model({ red: 15, names })));
    for (const message of messages) expect(bytes(message)).toBeLessThanOrEqual(MAX_CONTENT_BYTES);
    const all = messages.join('\n');
    const shown = names.filter((name) => all.includes(`> ${name}：`)).length;
    expect(shown).toBeLessThan(15);
    expect(all).toContain(`另有 ${15 - shown} 个单位`);
  });

  it('逾期 shows only the red and yellow lists', () => {
    const [text] = contents(overdueMessages(model()));
    expect(text).toContain('逾期单位');
    expect(text).toContain('临期单位');
    expect(text).not.toContain('任务批次');
    const none = contents(overdueMessages(model({ red: 0, yellow: 0 })))[0]!;
    expect(none).toContain('逾期单位</font>**：无');
    expect(none).toContain('临期单位</font>**：无');
  });

  it('周报 has no pointer to commands in its cut lists (it is forwarded)', () => {
    const messages = contents(weeklyReportMessages(model({ red: 30 })));
    const all = messages.join('\n');
    expect(all).toContain('另有 20 个单位。');
    expect(all).not.toContain('导出进度');
  });
});

function item(
  i: number,
  colour: DetailItem['colour'],
  awaiting: DetailItem['awaiting'] = 'unit',
): DetailItem {
  return {
    kind: 'task',
    ref: `T${i}`,
    taskId: i,
    title: `整改任务${i}：首页信息更新不及时、栏目长期未更新`,
    state: awaiting === 'unit' ? '待办' : '已提交待审',
    deadline: endOfShanghaiDay('2026-02-12'),
    estimated: false,
    view: view('2026-02-12'),
    colour,
    awaiting,
    lastReply: {
      at: parseShanghaiDateTime('2026-02-11 09:30'),
      userid: 'zd1',
      name: '张一',
      text: '已完成首页栏目更新并核对全部链接，详见附件。',
    },
  };
}

function detail(items: DetailItem[]): UnitDetail {
  return {
    unitId: 1,
    unitName: '张店区',
    unitKind: 'district',
    liaisons: [
      { userid: 'zd1', name: '张一' },
      { userid: 'zd2', name: '张二' },
    ],
    items,
  };
}

describe('进度 <单位> and 催办', () => {
  it('shows every item with its state, deadline and last reply', () => {
    const [text] = contents(
      unitDetailMessages(detail([item(1, 'red'), item(2, null, 'supervisor')]), 'export'),
    );
    expect(text).toContain('**张店区 进度**（区县）');
    expect(text).toContain('联络员：张一、张二');
    expect(text).toContain('未办结 2 项：<font color="warning">逾期 1</font> · 临期 0 · 待督办审核 1');
    expect(text).toContain(
      '> <font color="warning">🔴逾期</font> **T1** 整改任务1：首页信息更新不及时、栏目长期未更新（待办）',
    );
    expect(text).toContain('最近提交 2026-02-11（周三）09:30 张一：已完成首页栏目更新并核对全部链接，详见…');
    expect(text).toContain('> <font color="comment">待审核</font> **T2**');
  });

  it('a unit with nothing open is a short plain text', () => {
    expect(unitDetailMessages(detail([]), 'export')).toEqual([
      { type: 'text', content: '张店区（区县）目前没有未办结的事项。\n联络员：张一、张二' },
    ]);
  });

  it('a long unit is split between items, every item listed', () => {
    const messages = contents(
      unitDetailMessages(detail(Array.from({ length: 35 }, (_, i) => item(i + 1, 'red'))), 'my-tasks'),
    );
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) expect(bytes(message)).toBeLessThanOrEqual(MAX_CONTENT_BYTES);
    const all = messages.join('\n');
    for (let i = 1; i <= 35; i++) expect(all).toContain(`**T${i}**`);
    expect(all).not.toContain('另有');
  });

  it(`past ${LIST_LIMITS.detailItems} items it points to the rest`, () => {
    const count = LIST_LIMITS.detailItems + 15;
    const messages = contents(
      unitDetailMessages(detail(Array.from({ length: count }, (_, i) => item(i + 1, 'red'))), 'my-tasks'),
    );
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      expect(bytes(message)).toBeLessThanOrEqual(MAX_CONTENT_BYTES);
      // Every item's two lines stay together.
      const lines = message.split('\n').filter((line) => line.startsWith('> '));
      expect(lines.length % 2).toBe(0);
    }
    const all = messages.join('\n');
    expect(all).toContain(`**T${LIST_LIMITS.detailItems}**`);
    expect(all).not.toContain(`**T${LIST_LIMITS.detailItems + 1}**`);
    expect(all).toContain('另有 15 项，发送“我的任务”查看全部任务。');
  });

  it('the reminder is one card: the count, the most urgent items, only what the unit must do', () => {
    const items = [
      item(1, 'red'),
      ...Array.from({ length: 30 }, (_, i) => item(i + 2, 'yellow')),
      item(99, null, 'supervisor'),
    ];
    const message = urgeUnitCard(detail(items), '李督办', 7);
    if (message.type !== 'card') throw new Error(`expected a card, got ${message.type}`);
    const { card } = message;
    expect(card.card_type).toBe('button_interaction');
    expect(card.task_id).toMatch(/^urge-unit-\d+-7-[0-9a-f]{8}$/);
    expect(card.main_title).toEqual({ title: '【督办提醒】张店区', desc: '李督办催办' });
    expect(card.emphasis_content).toEqual({ title: '1', desc: '项已逾期（共 31 项待办）' });
    // Six rows at most (doc 90236): five items, most urgent first, then the rest counted.
    expect(card.horizontal_content_list).toHaveLength(6);
    expect(card.horizontal_content_list!.map((row) => row.keyname)).toEqual([
      'T1',
      'T2',
      'T3',
      'T4',
      'T5',
      '其余',
    ]);
    expect(card.horizontal_content_list![0]!.value!.startsWith('逾期·')).toBe(true);
    expect(card.horizontal_content_list!.at(-1)!.value).toBe('另有 26 项');
    expect(card.horizontal_content_list!.every((row) => row.value!.length <= 30)).toBe(true);
    expect(card.button_list).toEqual([{ text: '查看本单位待办', style: 1, key: URGE_VIEW_KEY }]);
    expect(card.source).toEqual({ desc: '督办助手', desc_color: 2 });
    expect(card.sub_title_text).toBe('请尽快办理。发送“办理 T编号”提交办理情况。');
  });

  it('a repost due on a Sunday: its row keeps the title (the date is not repeated) and the card says how to answer', () => {
    const due = parseShanghaiDateTime('2026-03-08 18:00');
    const repost: DetailItem = {
      ...item(1, 'yellow'),
      kind: 'repost',
      ref: 'Z1',
      taskId: null,
      title: '转载：国务院办公厅关于进一步优化政务服务的意见',
      state: '待转载',
      deadline: due,
      view: viewDeadline(calendar, due, parseShanghaiDateTime('2026-03-06 10:00')),
      lastReply: null,
    };
    const message = urgeUnitCard(detail([repost]), '李督办', 7);
    const card = message.type === 'card' ? message.card : null;
    expect(card?.horizontal_content_list![0]!.value).toBe(
      '临期·转载：国务院办公厅关于进一步优化…·还剩不到1个工作日',
    );
    expect(card?.sub_title_text).toBe('请尽快办理。发送“转载 Z编号 链接”提交转载链接。');
  });

  it('a short list fits the card whole, without a 其余 row', () => {
    const message = urgeUnitCard(detail([item(1, 'yellow'), item(2, 'green')]), '李督办', 7);
    const card = message.type === 'card' ? message.card : null;
    expect(card?.emphasis_content).toEqual({ title: '2', desc: '项待办' });
    expect(card?.horizontal_content_list!.map((row) => row.keyname)).toEqual(['T1', 'T2']);
    expect(card?.source?.desc_color).toBe(0);
  });
});

describe('催办 targets', () => {
  it.each([
    ['全部逾期', { kind: 'all-overdue' }],
    ['T12', { kind: 'task', id: 12 }],
    ['t12', { kind: 'task', id: 12 }],
    ['12', { kind: 'task', id: 12 }],
    ['Ｌ５', { kind: 'guestbook', id: 5 }],
    ['征集2', { kind: 'case-call', id: 2 }],
    ['张店区', { kind: 'unit', name: '张店区' }],
    ['全部', { kind: 'unit', name: '全部' }],
    ['', null],
  ])('%s', (args, target) => {
    expect(parseUrgeTarget(args)).toEqual(target);
  });
});
