// A clearly fictional directory shaped like the 2023 Q1 notice: the 8 districts/counties, the 3
// functional zones and the city departments it names, sub-units such as 高青县司法局, a liaison for
// every unit, two supervisors and an admin in 市大数据局, 54 websites and 660 accounts split
// 437/90/34/62/37. People, mobiles, domains and most account names are invented: userids start with
// demo_, mobiles are 1380000xxxx placeholders, domains end in the reserved .example. It goes through
// the same path as an import, so seeding twice changes nothing.
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import { systemClock, type Clock } from '../../clock.js';
import type { MediaPlatform } from '../../entities/media-account.js';
import { Person, ROLE_LABELS, type Role } from '../../entities/person.js';
import { Unit, type UnitKind } from '../../entities/unit.js';
import { applyDirectoryRows, type ApplyResult } from './import.js';
import type { AccountRow, DirectoryRows, PersonRow, WebsiteRow } from './sheets.js';

interface DemoUnit {
  name: string;
  kind: UnitKind;
  /** For userids (demo_<slug>) and domains. */
  slug: string;
  /** 6-digit area code for site codes (3703xx). */
  area?: string;
  parent?: string;
  /** Account name stem (张店 → 张店发布). */
  stem?: string;
  /** How many liaisons (default 1). */
  liaisons?: number;
}

const DISTRICTS: DemoUnit[] = [
  { name: '张店区', kind: 'district', slug: 'zhangdian', area: '370302', liaisons: 2 },
  { name: '淄川区', kind: 'district', slug: 'zichuan', area: '370303' },
  { name: '博山区', kind: 'district', slug: 'boshan', area: '370304' },
  { name: '周村区', kind: 'district', slug: 'zhoucun', area: '370306' },
  { name: '临淄区', kind: 'district', slug: 'linzi', area: '370305' },
  { name: '桓台县', kind: 'district', slug: 'huantai', area: '370321' },
  { name: '高青县', kind: 'district', slug: 'gaoqing', area: '370322' },
  { name: '沂源县', kind: 'district', slug: 'yiyuan', area: '370323' },
];

const ZONES: DemoUnit[] = [
  { name: '高新区', kind: 'zone', slug: 'gaoxin', area: '370371', stem: '淄博高新区' },
  { name: '经济开发区', kind: 'zone', slug: 'jingkai', area: '370372', stem: '淄博经开区' },
  { name: '文昌湖区', kind: 'zone', slug: 'wenchanghu', area: '370373', stem: '文昌湖' },
];

/** 市政府办公室 runs the city portal; every other department has one site of its own. */
const DEPARTMENTS: DemoUnit[] = [
  { name: '市政府办公室', kind: 'department', slug: 'zfb', stem: '淄博政府办' },
  { name: '市发展和改革委员会', kind: 'department', slug: 'fgw', stem: '淄博发改' },
  { name: '市教育局', kind: 'department', slug: 'jyj' },
  { name: '市科学技术局', kind: 'department', slug: 'kjj', stem: '淄博科技' },
  { name: '市工业和信息化局', kind: 'department', slug: 'gxj', stem: '淄博工信' },
  { name: '市公安局', kind: 'department', slug: 'gaj', liaisons: 2 },
  { name: '市民政局', kind: 'department', slug: 'mzj' },
  { name: '市司法局', kind: 'department', slug: 'sfj' },
  { name: '市财政局', kind: 'department', slug: 'czj' },
  { name: '市人力资源和社会保障局', kind: 'department', slug: 'rsj', stem: '淄博人社' },
  { name: '市自然资源和规划局', kind: 'department', slug: 'zrzyj', stem: '淄博自然资源' },
  { name: '市生态环境局', kind: 'department', slug: 'sthjj' },
  { name: '市住房和城乡建设局', kind: 'department', slug: 'zjj', stem: '淄博住建' },
  { name: '市交通运输局', kind: 'department', slug: 'jtj', stem: '淄博交通' },
  { name: '市水利局', kind: 'department', slug: 'slj' },
  { name: '市农业农村局', kind: 'department', slug: 'nyncj' },
  { name: '市商务局', kind: 'department', slug: 'swj' },
  { name: '市文化和旅游局', kind: 'department', slug: 'wlj', stem: '淄博文旅' },
  { name: '市卫生健康委员会', kind: 'department', slug: 'wjw', stem: '淄博卫健' },
  { name: '市退役军人事务局', kind: 'department', slug: 'tyjrj' },
  { name: '市应急管理局', kind: 'department', slug: 'yjj', stem: '淄博应急' },
  { name: '市审计局', kind: 'department', slug: 'sjj' },
  { name: '市市场监督管理局', kind: 'department', slug: 'scjgj', stem: '淄博市场监管' },
  { name: '市统计局', kind: 'department', slug: 'tjj' },
  { name: '市医疗保障局', kind: 'department', slug: 'ybj', stem: '淄博医保' },
  { name: '市信访局', kind: 'department', slug: 'xfj' },
  { name: '市大数据局', kind: 'department', slug: 'dsjj' },
  { name: '市行政审批服务局', kind: 'department', slug: 'xzspj', stem: '淄博审批' },
  { name: '市城市管理局', kind: 'department', slug: 'cgj', stem: '淄博城管' },
  { name: '市体育局', kind: 'department', slug: 'tyj' },
  { name: '市人民防空办公室', kind: 'department', slug: 'rfb', stem: '淄博人防' },
  { name: '市机关事务服务中心', kind: 'department', slug: 'jgsw', stem: '淄博机关事务' },
  { name: '市公共资源交易中心', kind: 'department', slug: 'ggzy', stem: '淄博公共资源交易' },
  { name: '市住房公积金管理中心', kind: 'department', slug: 'gjj', stem: '淄博公积金' },
  { name: '市投资促进局', kind: 'department', slug: 'tzcj', stem: '淄博投资促进' },
  { name: '市国有资产监督管理委员会', kind: 'department', slug: 'gzw', stem: '淄博国资' },
  { name: '市外事办公室', kind: 'department', slug: 'wsb', stem: '淄博外事' },
  { name: '市民族宗教事务局', kind: 'department', slug: 'mzzj', stem: '淄博民宗' },
  { name: '市地方金融监督管理局', kind: 'department', slug: 'jrj', stem: '淄博金融' },
  { name: '市畜牧渔业服务中心', kind: 'department', slug: 'xmyy', stem: '淄博畜牧渔业' },
  { name: '市档案馆', kind: 'department', slug: 'dag', stem: '淄博档案' },
  { name: '市供销合作社', kind: 'department', slug: 'gxs', stem: '淄博供销' },
  { name: '市气象局', kind: 'other', slug: 'qxj', stem: '淄博气象' },
];

/** Sub-units the notice names: their work rolls up to the parent. */
const SUB_UNITS: DemoUnit[] = [
  {
    name: '张店区人力资源和社会保障局',
    kind: 'district',
    slug: 'zdrsj',
    parent: '张店区',
    stem: '张店人社局',
  },
  { name: '高青县司法局', kind: 'district', slug: 'gqsfj', parent: '高青县', stem: '高青司法' },
  { name: '高青县行政审批服务局', kind: 'district', slug: 'gqspj', parent: '高青县', stem: '高青审批' },
  { name: '市公安局张店分局', kind: 'department', slug: 'gajzd', parent: '市公安局', stem: '张店公安' },
];

export const DEMO_UNITS: readonly DemoUnit[] = [...DISTRICTS, ...ZONES, ...DEPARTMENTS, ...SUB_UNITS];

/** The accounts the notice mentions by name, with their units. */
const NAMED_ACCOUNTS: { name: string; platform: MediaPlatform; unit: string }[] = [
  { name: '张店警方', platform: 'douyin', unit: '市公安局张店分局' },
  { name: '高青司法行政法律服务', platform: 'wechat', unit: '高青县司法局' },
  { name: '温暖张店人社', platform: 'wechat', unit: '张店区人力资源和社会保障局' },
  { name: '淄博信访', platform: 'wechat', unit: '市信访局' },
  { name: '高青县行政审批服务局', platform: 'wechat', unit: '高青县行政审批服务局' },
  { name: '淄博市自然资源和规划局', platform: 'wechat', unit: '市自然资源和规划局' },
];

/** The notice's totals: 660 accounts. */
export const DEMO_ACCOUNT_COUNTS: Readonly<Record<MediaPlatform, number>> = {
  wechat: 437,
  weibo: 90,
  toutiao: 34,
  douyin: 62,
  other: 37,
};

export const DEMO_WEBSITE_COUNT = 54;
export const DEMO_SUPERVISORS = ['demo_duban1', 'demo_duban2'];
export const DEMO_ADMIN = 'demo_admin';
const STAFF_UNIT = '市大数据局';

/** Suffixes of generated account names (张店 + 发布 …); the first account is the stem itself. */
const TOPICS = [
  '',
  '发布',
  '政务',
  '在线',
  '微服务',
  '之声',
  '资讯',
  '便民',
  '融媒',
  '教育',
  '卫健',
  '人社',
  '应急',
  '市场监管',
  '文旅',
  '交通',
  '住建',
  '生态环境',
  '司法',
  '民政',
  '退役军人',
  '医保',
  '农业农村',
  '水利',
  '城管',
  '消防',
  '共青团',
  '妇联',
  '科协',
  '审批',
  '统计',
  '审计',
  '财政',
  '商务',
  '自然资源',
  '档案',
  '体育',
  '信访',
];

const SURNAMES = [...'王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗'];
const GIVEN_NAMES = [
  '晓明', '海燕', '建华', '丽娟', '志强', '文静', '国栋', '秀英', '俊杰', '雪梅',
  '立新', '婷婷', '振宇', '红霞', '家豪', '玉兰', '子涵', '春生', '思远', '慧敏',
  '德胜', '欣怡', '长青', '美玲', '浩然', '桂芳', '一鸣', '雅琴', '宏伟', '佳琪',
  '守仁', '晓燕', '明辉', '淑华', '天宇', '丹丹', '永强', '梦洁', '博文', '冬梅',
]; // prettier-ignore

/** The i-th invented name; unique for i < 800 (surname by i, given name by a stride). */
export function demoPersonName(i: number): string {
  const surname = SURNAMES[i % SURNAMES.length]!;
  const k = Math.floor(i / SURNAMES.length);
  return surname + GIVEN_NAMES[(21 * k + 3 * (i % SURNAMES.length)) % GIVEN_NAMES.length]!;
}

/** Placeholder mobiles 13800000001, 13800000002, … */
function demoMobile(i: number): string {
  return `1380000${String(i + 1).padStart(4, '0')}`;
}

function stemOf(unit: DemoUnit): string {
  if (unit.stem) return unit.stem;
  if (unit.kind === 'district') return unit.name.replace(/[区县]$/, '');
  return `淄博${unit.name.replace(/^市/, '').replace(/(局|委员会|办公室|中心|馆|社)$/, '')}`;
}

function weightOf(unit: DemoUnit): number {
  if (unit.parent) return 1;
  return { district: 12, zone: 5, department: 2, other: 1 }[unit.kind];
}

/** Splits `total` over `weights` by largest remainder (deterministic, sums exactly). */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((weight) => (total * weight) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (left-- <= 0) break;
    counts[index]!++;
  }
  return counts;
}

/** The demo directory as sheet rows (the same shape an import produces). */
export function demoDirectoryRows(): DirectoryRows {
  const where = (line: number) => ({ sheet: '演示数据', line });
  const people: PersonRow[] = [];
  let personIndex = 0;
  const addPerson = (unit: DemoUnit, userid: string, role: Role) => {
    people.push({
      where: where(people.length + 2),
      unitName: unit.name,
      unitKind: unit.kind,
      parentName: unit.parent ?? null,
      person: { name: demoPersonName(personIndex), userid, role, mobile: demoMobile(personIndex) },
    });
    personIndex++;
  };
  for (const unit of DEMO_UNITS) {
    for (let n = 1; n <= (unit.liaisons ?? 1); n++) {
      addPerson(unit, n === 1 ? `demo_${unit.slug}` : `demo_${unit.slug}_${n}`, 'liaison');
    }
  }
  const staff = DEMO_UNITS.find((unit) => unit.name === STAFF_UNIT)!;
  for (const userid of DEMO_SUPERVISORS) addPerson(staff, userid, 'supervisor');
  addPerson(staff, DEMO_ADMIN, 'admin');

  const websites: WebsiteRow[] = [];
  const site = (name: string, siteCode: string, domain: string, unit: string) =>
    websites.push({
      where: where(websites.length + 2),
      name,
      siteCode,
      domain,
      homeUrl: null,
      unitName: unit,
    });
  for (const unit of [...DISTRICTS, ...ZONES]) {
    const title = unit.kind === 'zone' ? `淄博${unit.name}管理委员会` : `淄博市${unit.name}人民政府`;
    site(title, `${unit.area}0001`, `${unit.slug}.${DEMO_SITE_DOMAIN}`, unit.name);
  }
  site('淄博市人民政府', '3703000001', `www.${DEMO_SITE_DOMAIN}`, '市政府办公室');
  DEPARTMENTS.slice(1).forEach((unit, index) => {
    site(
      `淄博${unit.name}`,
      `370300${String(index + 2).padStart(4, '0')}`,
      `${unit.slug}.${DEMO_SITE_DOMAIN}`,
      unit.name,
    );
  });

  const accounts: AccountRow[] = [];
  const weights = DEMO_UNITS.map(weightOf);
  for (const [platform, total] of Object.entries(DEMO_ACCOUNT_COUNTS) as [MediaPlatform, number][]) {
    const used = new Set<string>();
    const add = (name: string, unit: string) => {
      used.add(name);
      accounts.push({ where: where(accounts.length + 2), name, platform, unitName: unit, status: 'running' });
    };
    const named = NAMED_ACCOUNTS.filter((account) => account.platform === platform);
    for (const account of named) add(account.name, account.unit);
    const shares = allocate(total - named.length, weights);
    DEMO_UNITS.forEach((unit, index) => {
      const stem = stemOf(unit);
      let made = 0;
      for (let n = 0; made < shares[index]!; n++) {
        const topic = TOPICS[n % TOPICS.length]!;
        const round = Math.floor(n / TOPICS.length);
        const name = `${stem}${topic}${round > 0 ? round + 1 : ''}`;
        if (used.has(name)) continue;
        add(name, unit.name);
        made++;
      }
    });
  }
  return { people, websites, accounts };
}

/** Loads the demo directory (idempotent: what is already there stays as it is). */
export async function seedDemo(
  tx: EntityManager,
  options: { actor: string; now: Date },
): Promise<ApplyResult> {
  return applyDirectoryRows(tx, demoDirectoryRows(), {
    ...options,
    action: 'directory.seed-demo',
    target: 'directory:demo',
  });
}

export interface SampleUser {
  role: Role;
  userid: string;
  unitName: string | null;
}

/** A liaison (高青县's in the demo), a supervisor and the admin, to chat as. */
export async function sampleUsers(tx: EntityManager): Promise<SampleUser[]> {
  const people = await tx
    .getRepository(Person)
    .find({ where: { active: true }, order: { id: 'ASC' }, take: 500 });
  const units = new Map((await tx.getRepository(Unit).find()).map((unit) => [unit.id, unit.name]));
  const preferred: Record<Role, string> = {
    liaison: 'demo_gaoqing',
    supervisor: DEMO_SUPERVISORS[0]!,
    admin: DEMO_ADMIN,
  };
  const samples: SampleUser[] = [];
  for (const role of ['liaison', 'supervisor', 'admin'] as const) {
    const person =
      people.find((candidate) => candidate.userid === preferred[role] && candidate.role === role) ??
      people.find((candidate) => candidate.role === role);
    if (person) {
      samples.push({
        role,
        userid: person.userid,
        unitName: person.unitId === null ? null : (units.get(person.unitId) ?? null),
      });
    }
  }
  return samples;
}

/**
 * Sandbox start: seeds the demo directory when the database has no units and no people, and
 * returns a few userids to chat as either way.
 */
/** The fictional sites' domain: only these are served by the sandbox's local unit sites. */
export const DEMO_SITE_DOMAIN = 'zibo-demo.example';

export async function seedDemoIfEmpty(
  dataSource: DataSource,
  logger: Logger,
  clock: Clock = systemClock,
): Promise<{ seeded: boolean; sampleUserids: SampleUser[] }> {
  const empty =
    (await dataSource.getRepository(Unit).count()) === 0 &&
    (await dataSource.getRepository(Person).count()) === 0;
  let seeded = false;
  if (empty) {
    const result = await dataSource.transaction((tx) => seedDemo(tx, { actor: 'system', now: clock.now() }));
    if (!result.ok)
      throw new Error(`demo directory rejected: ${result.errors.map((e) => e.message).join('; ')}`);
    seeded = true;
    logger.info({ summary: result.summary }, '已载入演示通讯录（虚构数据）/ demo directory seeded');
  }
  return { seeded, sampleUserids: await sampleUsers(dataSource.manager) };
}

/** Lines for the sandbox banner: who to chat as. */
export function sampleUserLines(seed: { seeded: boolean; sampleUserids: SampleUser[] }): string[] {
  if (seed.sampleUserids.length === 0) return [];
  const width = Math.max(...seed.sampleUserids.map((sample) => sample.userid.length));
  return [
    seed.seeded ? '已载入演示通讯录（虚构数据）。可以这样对话：' : '可以用以下账号对话：',
    ...seed.sampleUserids.map(
      (sample) =>
        `  npx duban chat --as ${sample.userid.padEnd(width)}  （${ROLE_LABELS[sample.role]}` +
        `${sample.unitName ? `，${sample.unitName}` : ''}）`,
    ),
  ];
}
