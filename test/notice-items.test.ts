// 通报: every actionable item of a notice, read by a pure function. The seed notice (2023 Q1) is the
// golden case: its proposals are asserted exactly.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../src/services/calendar/calendar.js';
import { proposeNoticeItems, readCaseTerms, type ProposedItem } from '../src/services/tasks/text.js';

const calendar = WorkCalendar.create();
const NOW = new Date('2026-03-20T01:00:00Z');
const NOTICE = readFileSync('/work/shared/docs/notice-2023q1.txt', 'utf8');

/** An item with its deadline flattened to the instant (or the reason there is none). */
function flat(item: ProposedItem) {
  const { deadline, ...rest } = item;
  return {
    ...rest,
    due: deadline === null ? null : deadline.ok ? deadline.value.deadline.toISOString() : deadline.error,
  };
}

const propose = (text: string, noticeDate: string | null = '2023-03-17') =>
  proposeNoticeItems(text, { now: NOW, calendar, noticeDate: noticeDate as never }).map(flat);

describe('the seed notice (golden)', () => {
  it('proposes the 落实情况 report, the case call and one rectification per problem', () => {
    const report = NOTICE.normalize('NFKC').includes('于3月21日前')
      ? '于3月21日前,将工作落实情况和《政府网站、政务新媒体典型做法信息表》,加盖单位公章后,通过协同办公系统发至市大数据局电子政务科。'
      : '';
    expect(propose(NOTICE)).toEqual([
      {
        kind: 'report',
        title: '报送工作落实情况和《政府网站、政务新媒体典型做法信息表》',
        detail: report,
        due: '2023-03-21T16:00:00.000Z',
      },
      {
        kind: 'cases',
        title: '典型案例征集：挖掘典型做法，营造创新氛围',
        detail:
          '挖掘典型做法,营造创新氛围。各级各部门要进一步总结提炼政府网站和政务新媒体在建设运营过程中的典型做法,围绕加强内容建设、强化解读回应、畅通互动渠道、服务企业群众、推动工作创新等方面,以案例形式呈现突出特色、亮点和成效。各区县至少提报5个、市直部门至少提报1个典型案例(每个案例控制在150字以内),并认真填写政府网站、政务新媒体典型做法信息表(见附件)。',
        due: '2023-03-21T16:00:00.000Z',
        cases: { quotas: { district: 5, zone: 5, department: 1, other: 0 }, maxChars: 150 },
      },
      {
        kind: 'rectification',
        title: '整改：重要信息转载有待加强',
        detail:
          '重要信息转载有待加强。个别单位对重要信息转载工作不够重视,没有落实好“应转尽转”“能转则转”的工作要求,存在不按要求转载的现象。',
        due: '2023-03-21T16:00:00.000Z',
      },
      {
        kind: 'rectification',
        title: '整改：信息审核发布制度落实不到位',
        detail:
          '信息审核发布制度落实不到位。个别单位没有认真落实信息审核发布制度,政府网站和政务新媒体已发布的信息存在个人信息泄露问题。',
        due: '2023-03-21T16:00:00.000Z',
      },
      {
        kind: 'rectification',
        title: '整改：留言办理有待加强',
        detail:
          '留言办理有待加强。个别单位没有按照要求办理“我为政府网站找错留言”,存在答复质量不高、留言办理不够及时的现象。',
        due: '2023-03-21T16:00:00.000Z',
      },
    ]);
  });
});

describe('other notices', () => {
  it('proposes no rectification for a notice without a 存在的问题 section', () => {
    const text =
      '关于网站自查的通知\n一、总体情况\n运行平稳。\n二、工作要求\n请于4月10日前将自查报告报送市大数据局。\n市大数据局\n2026年3月19日';
    expect(propose(text, '2026-03-19')).toEqual([
      {
        kind: 'report',
        title: '报送自查报告',
        detail: '请于4月10日前将自查报告报送市大数据局。',
        due: '2026-04-10T16:00:00.000Z',
      },
    ]);
  });

  it('proposes rectifications without a deadline when the notice sets none, from full-width numbering', () => {
    const text =
      '关于问题整改的通知\n三、存在的问题\n（一）栏目长期未更新。部分栏目超过半年未更新。\n（二）链接失效，\n部分外链打不开。\n四、工作要求\n抓好整改。';
    expect(propose(text, null)).toEqual([
      {
        kind: 'rectification',
        title: '整改：栏目长期未更新',
        detail: '栏目长期未更新。部分栏目超过半年未更新。',
        due: null,
      },
      {
        kind: 'rectification',
        title: '整改：链接失效，部分外链打不开',
        detail: '链接失效,部分外链打不开。',
        due: null,
      },
    ]);
  });

  it('reads problems numbered 1. or (1), and a section of prose as one problem', () => {
    const numbered =
      '关于问题整改的通知\n三、存在的问题\n1.栏目长期未更新。\n(2)链接失效。\n四、要求\n抓好整改。';
    expect(propose(numbered, null).map((item) => item.title)).toEqual([
      '整改：栏目长期未更新',
      '整改：链接失效',
    ]);
    const prose = '关于问题整改的通知\n三、存在的主要问题\n个别单位栏目长期未更新。\n四、要求\n抓好整改。';
    expect(propose(prose, null)).toEqual([
      {
        kind: 'rectification',
        title: '整改：个别单位栏目长期未更新',
        detail: '个别单位栏目长期未更新。',
        due: null,
      },
    ]);
  });

  it('adds the quotas to a case item found by its deadline sentence instead of proposing it twice', () => {
    const text =
      '关于征集典型做法的通知\n请于4月15日前将典型案例报送市大数据局，各区县至少报送3个、市直部门至少报送2个，每个案例200字以内。';
    const items = propose(text, '2026-03-19');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      kind: 'cases',
      due: '2026-04-15T16:00:00.000Z',
      cases: { quotas: { district: 3, zone: 3, department: 2, other: 0 }, maxChars: 200 },
    });
  });

  it.each([
    [
      '各区县至少提报5个、市直部门至少提报1个典型案例(每个案例控制在150字以内)',
      { district: 5, zone: 5, department: 1, other: 0 },
      150,
    ],
    ['功能区不少于2个，县区至少上报4个', { district: 4, zone: 2, department: 1, other: 0 }, null],
    ['每个案例不超过300字', { district: 5, zone: 5, department: 1, other: 0 }, 300],
  ])('reads the case terms of %s', (paragraph, quotas, maxChars) => {
    expect(readCaseTerms(paragraph)).toEqual({ quotas, maxChars });
  });

  it('reads no case terms from a paragraph that sets none', () => {
    expect(readCaseTerms('各级各部门要认真学习借鉴本次通报中的典型经验做法')).toBeNull();
  });
});
