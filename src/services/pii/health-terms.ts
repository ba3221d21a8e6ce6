/**
 * The health conditions the detector looks for (健康状况, one of the kinds the 2023 Q1 notice names).
 *
 * A maintained list, not a data package: the npm registry has no Chinese list of conditions (looked
 * for in December 2026; the disease packages there are English, e.g. @datagica/parse-diseases 0.0.1).
 * Each group names its source; add terms to the group they belong to. Terms that are also ordinary
 * words in government texts are left out or guarded (中风 not before 险: 中风险地区; no 瘫痪: 系统
 * 瘫痪; no 透析: 深度透析). A term is reported only next to a person (see detector.ts), so a policy
 * sentence about a disease is not a finding.
 */

/**
 * 《中华人民共和国传染病防治法》第三条 (甲类、乙类、丙类), with the additions announced by the
 * National Health Commission (新型冠状病毒感染 2020/2023, 猴痘 2023), and the short forms people
 * write (乙肝, 艾滋).
 */
export const INFECTIOUS_DISEASES = [
  '鼠疫', '霍乱', '传染性非典型肺炎', '非典', '艾滋病病毒感染者', '艾滋病病毒携带者', '艾滋病', '艾滋',
  '病毒性肝炎', '甲型肝炎', '乙型肝炎', '丙型肝炎', '丁型肝炎', '戊型肝炎', '甲肝', '乙肝', '丙肝', '戊肝',
  '乙肝病毒携带者', '乙肝大三阳', '乙肝小三阳', '大三阳', '小三阳', '脊髓灰质炎', '人感染高致病性禽流感',
  '人感染H7N9禽流感', '麻疹', '流行性出血热', '狂犬病', '流行性乙型脑炎', '登革热', '炭疽', '细菌性痢疾',
  '阿米巴性痢疾', '肺结核', '结核病', '伤寒', '副伤寒', '流行性脑脊髓膜炎', '百日咳', '白喉', '新生儿破伤风',
  '猩红热', '布鲁氏菌病', '淋病', '梅毒', '尖锐湿疣', '性病', '钩端螺旋体病', '血吸虫病', '疟疾',
  '新型冠状病毒感染', '新型冠状病毒肺炎', '新冠肺炎', '新冠病毒感染', '猴痘', '流行性腮腺炎', '风疹',
  '急性出血性结膜炎', '麻风病', '斑疹伤寒', '黑热病', '包虫病', '丝虫病', '手足口病', '传染病',
]; // prettier-ignore

/**
 * Chronic and serious conditions: the 门诊慢特病 (outpatient chronic and special diseases) lists of
 * the national medical-insurance administration (国家医保局《关于健全门诊共济保障机制的指导意见》
 * 配套病种) and 《中国居民营养与慢性病状况报告》's main chronic diseases.
 */
export const CHRONIC_DISEASES = [
  '高血压', '糖尿病', '冠心病', '心肌梗死', '心力衰竭', '心衰', '脑卒中', '脑梗死', '脑梗', '脑出血', '脑溢血',
  '慢性阻塞性肺疾病', '慢阻肺', '哮喘', '慢性肾衰竭', '慢性肾病', '尿毒症', '肾衰竭', '肝硬化',
  '恶性肿瘤', '肿瘤', '癌症', '白血病', '淋巴瘤', '肺癌', '肝癌', '胃癌', '食管癌', '乳腺癌', '宫颈癌',
  '结直肠癌', '鼻咽癌', '甲状腺癌', '帕金森病', '阿尔茨海默病', '老年痴呆', '系统性红斑狼疮',
  '类风湿关节炎', '再生障碍性贫血', '地中海贫血', '血友病', '癫痫', '器官移植', '艾滋病机会性感染',
]; // prettier-ignore

/**
 * Mental health: the six 严重精神障碍 of 《严重精神障碍管理治疗工作规范（2018年版）》 and the
 * common diagnoses people write about (抑郁症, 焦虑症 …).
 */
export const MENTAL_HEALTH = [
  '精神分裂症', '精神分裂', '分裂情感性障碍', '偏执性精神病', '双相情感障碍', '双相障碍',
  '癫痫所致精神障碍', '精神发育迟滞', '严重精神障碍', '精神障碍', '精神疾病', '精神病', '抑郁症',
  '抑郁障碍', '焦虑症', '焦虑障碍', '强迫症', '孤独症', '自闭症', '心理疾病',
]; // prettier-ignore

/**
 * Disabilities: the seven categories of GB/T 26341-2010《残疾人残疾分类和分级》, the 残疾人证
 * grades, and plain words for them.
 */
export const DISABILITIES = [
  '视力残疾', '听力残疾', '言语残疾', '肢体残疾', '智力残疾', '精神残疾', '多重残疾', '重度残疾',
  '一级残疾', '二级残疾', '三级残疾', '四级残疾', '残疾等级', '残疾证', '残疾人证', '失明', '聋哑', '截肢',
]; // prettier-ignore

/** Records that hold health details whatever they say. */
export const HEALTH_RECORDS = [
  '病历',
  '病史',
  '既往史',
  '体检结果',
  '体检报告',
  '诊断证明',
  '化验单',
  '检验报告',
];

/** Terms that need a guard against the ordinary word they are part of. */
export const GUARDED_TERMS = ['中风(?!险)', '(?<![A-Za-z])HIV(?![A-Za-z])'];

/** Said after a condition, they are part of it: 艾滋病病毒感染者, 糖尿病并发症, 乙肝患者. */
export const CONDITION_SUFFIXES = [
  '病毒感染者',
  '病毒携带者',
  '感染者',
  '携带者',
  '并发症',
  '患者',
  '病人',
  '晚期',
  '病史',
  '证',
];

/**
 * Verbs that introduce a condition (确诊乙肝, 患糖尿病并发症): the condition that follows is masked
 * with them; 患 alone is a verb unless it starts 患者 or 患儿. The detector writes them as one
 * factored pattern (detector.ts HEALTH_TERM); this list documents them and is what the tests read.
 */
export const CONDITION_VERBS = [
  '被确诊为',
  '被确诊',
  '确诊为',
  '确诊',
  '被诊断为',
  '诊断为',
  '诊断',
  '患有',
  '罹患',
  '身患',
  '患上',
  '患',
];

/** Every plain term, longest first, so that the longest condition is the one matched and masked. */
export function conditionTerms(): string[] {
  const all = [
    ...INFECTIOUS_DISEASES,
    ...CHRONIC_DISEASES,
    ...MENTAL_HEALTH,
    ...DISABILITIES,
    ...HEALTH_RECORDS,
  ];
  return [...new Set(all)].sort((a, b) => b.length - a.length || a.localeCompare(b));
}

class TrieNode {
  readonly next = new Map<string, TrieNode>();
  end = false;
}

const escapeForRegex = (ch: string) => ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One regex source matching any of `words`, as a prefix tree (中风|中毒 → 中(?:风|毒)): the engine
 * then picks the branch by the next character instead of trying ~200 alternatives at every
 * position. An optional tail is tried first, so the longest word still wins.
 */
export function trieSource(words: readonly string[]): string {
  const root = new TrieNode();
  for (const word of words) {
    let node = root;
    for (const ch of word) {
      let child = node.next.get(ch);
      if (!child) node.next.set(ch, (child = new TrieNode()));
      node = child;
    }
    node.end = true;
  }
  const emit = (node: TrieNode): string => {
    const branches = [...node.next].map(([ch, child]) => escapeForRegex(ch) + emit(child));
    if (branches.length === 0) return '';
    const body = branches.length === 1 ? branches[0]! : `(?:${branches.join('|')})`;
    return node.end ? `(?:${body})?` : body;
  };
  return emit(root);
}
