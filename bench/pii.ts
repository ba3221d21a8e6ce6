/**
 * Throughput of the PII detector on a generated 10 MB corpus of government-style Chinese text.
 * Run: `npx tsx bench/pii.ts`. Not a test: numbers depend on the machine; nothing asserts on them.
 *
 * The corpus is deterministic (seeded generator) and sprinkled with real findings (valid IDs,
 * mobiles, cards, landlines, personal mail, health terms next to names) and with look-alikes that
 * must not be reported (credit codes, document numbers, dates, amounts, order numbers, hotlines).
 */
import { pathToFileURL } from 'node:url';
import { detectPii } from '../src/services/pii/detector.js';
import { makeCard, makeCreditCode, makeId } from '../test/support/pii-vectors.js';
import { PII_CORPUS, type CorpusSentence } from '../test/support/pii-corpus.js';

export interface PiiBenchResult {
  mbPerSecond: number;
  megabytes: number;
  findings: number;
  /** Over the labelled sentences of test/support/pii-corpus.ts (rectification-notice wording). */
  precision: number;
  recall: number;
  sentences: number;
}

export interface CorpusScore {
  precision: number;
  recall: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

/**
 * Precision and recall of the detector over labelled sentences, counting findings as `kind:severity`
 * per sentence: a finding of the right kind but the wrong severity is both a false positive and a
 * false negative.
 */
export function scoreCorpus(corpus: readonly CorpusSentence[]): CorpusScore {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  for (const sentence of corpus) {
    const missing = [...sentence.expected];
    for (const finding of detectPii(sentence.text)) {
      const index = missing.indexOf(`${finding.kind}:${finding.severity}`);
      if (index >= 0) {
        missing.splice(index, 1);
        truePositives++;
      } else falsePositives++;
    }
    falseNegatives += missing.length;
  }
  const ratio = (part: number, whole: number) => (whole === 0 ? 1 : Math.round((part / whole) * 1000) / 1000);
  return {
    precision: ratio(truePositives, truePositives + falsePositives),
    recall: ratio(truePositives, truePositives + falseNegatives),
    truePositives,
    falsePositives,
    falseNegatives,
  };
}

const MEBIBYTE = 1024 * 1024;

/** mulberry32: small, fast, and the same sequence on every machine. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PLAIN_SENTENCES = [
  '为进一步加强全市政府网站和政务新媒体建设管理，根据国务院办公厅、省政府办公厅工作部署和我市有关要求，市政府办公室组织开展了季度普查。',
  '各级各部门要认真学习《中华人民共和国个人信息保护法》有关规定，增强个人信息保护意识。',
  '政府网站和政务新媒体在发布政府信息前，要严格落实信息内容审核发布机制，对拟公开的政府信息进行检查。',
  '市公安局积极了解当前社会热点，结合工作实际和治安情况，有针对性的进行内容策划，通过政务新媒体矩阵向市民进行法律宣传。',
  '依托全国政务新媒体信息报送系统建立动态的政务新媒体信息库，政务新媒体的开设、变更、关停、注销均在3个工作日内完成备案。',
  '对网民反映属实的问题要有效解决，答复网民留言要态度诚恳、表述清晰、有理有据，避免因答复不当引发负面舆情。',
  '加强艾滋病防治宣传，提高群众健康素养，推动基层医疗机构提升诊断能力。',
  '各区县至少提报5个、市直部门至少提报1个典型案例（每个案例控制在150字以内）。',
];

type Pick = <T>(items: readonly T[]) => T;

function digits(random: () => number, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(Math.floor(random() * 10));
  return out;
}

/** Sentences that contain something the detector must report. */
function findingSentence(random: () => number, pick: Pick): string {
  const birth = `19${String(50 + Math.floor(random() * 50))}0${1 + Math.floor(random() * 9)}1${Math.floor(random() * 9)}`;
  const id = makeId(pick(['370303', '110105', '440106', '320102']), birth, digits(random, 3));
  const mobile = `1${pick(['38', '39', '58', '86', '77'])}${digits(random, 8)}`;
  const card = makeCard(pick(['622202', '621700', '436742']), pick([16, 19]), digits(random, 18));
  return pick([
    `申请人张某某，身份证号${id}，联系电话${mobile}。`,
    `补贴资金发放至户主本人账户，开户行：中国农业银行淄博分行，账号：${card}。`,
    `如有疑问，请联系李经理，电话${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}，或发送邮件至zhang${digits(random, 4)}@qq.com。`,
    `咨询电话：0533-${2 + Math.floor(random() * 7)}${digits(random, 6)}。`,
    `村民王小明患有精神疾病，经鉴定残疾等级为二级。`,
  ]);
}

/** Sentences with numbers that look like findings but are not. */
function lookalikeSentence(random: () => number, pick: Pick): string {
  const credit = makeCreditCode(`91370300${pick(['MA3C', 'MA94', '7060'])}${digits(random, 5)}`);
  return pick([
    `根据《国务院办公厅关于加强政府网站域名管理的通知》（国办函〔2018〕55号）和淄政办字〔2023〕${1 + Math.floor(random() * 40)}号文件要求执行。`,
    `统一社会信用代码：${credit}，注册资本${1 + Math.floor(random() * 900)},${digits(random, 3)},000元。`,
    `于2023年3月${1 + Math.floor(random() * 28)}日前（20230321）报送，发布时间2023-03-20 08:36:56。`,
    `订单编号${digits(random, 18)}${digits(random, 6)}已受理，网站标识码3703000${digits(random, 3)}。`,
    `服务热线12345，消费者投诉12315，客服电话400-${digits(random, 3)}-${digits(random, 4)}。`,
    `全年完成投资13800000000元，同比增长${digits(random, 1)}.${digits(random, 1)}%。`,
  ]);
}

/** About `targetBytes` of UTF-8 text; roughly 1 sentence in 20 holds a finding, 1 in 10 a look-alike. */
export function generateCorpus(targetBytes: number, seed = 20230320): string {
  const random = seededRandom(seed);
  const pick: Pick = (items) => items[Math.floor(random() * items.length)] as (typeof items)[number];
  const sentences: string[] = [];
  let bytes = 0;
  while (bytes < targetBytes) {
    const roll = random();
    let sentence: string;
    if (roll < 0.05) sentence = findingSentence(random, pick);
    else if (roll < 0.15) sentence = lookalikeSentence(random, pick);
    else sentence = pick(PLAIN_SENTENCES);
    if (random() < 0.08) sentence += '\n';
    sentences.push(sentence);
    bytes += Buffer.byteLength(sentence);
  }
  return sentences.join('');
}

/** Median of a few timed runs: one run alone swings with GC and CPU frequency. */
const TIMED_RUNS = 3;

export async function runPiiBench(megabytes = 10): Promise<PiiBenchResult> {
  const corpus = generateCorpus(megabytes * MEBIBYTE);
  const actualMegabytes = Buffer.byteLength(corpus) / MEBIBYTE;
  detectPii(corpus.slice(0, 200_000)); // warm up the regex engine and the JIT
  const seconds: number[] = [];
  let findings = 0;
  for (let run = 0; run < TIMED_RUNS; run++) {
    const started = process.hrtime.bigint();
    findings = detectPii(corpus).length;
    seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  const median = seconds.sort((a, b) => a - b)[Math.floor(TIMED_RUNS / 2)] ?? Number.NaN;
  const score = scoreCorpus(PII_CORPUS);
  return {
    mbPerSecond: Math.round((actualMegabytes / median) * 10) / 10,
    megabytes: Math.round(actualMegabytes * 100) / 100,
    findings,
    precision: score.precision,
    recall: score.recall,
    sentences: PII_CORPUS.length,
  };
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const result = await runPiiBench();
  console.log(
    `pii: ${result.megabytes} MB in corpus, ${result.findings} findings, ${result.mbPerSecond} MB/s (detectPii)`,
  );
  console.log(
    `pii: precision ${result.precision}, recall ${result.recall} over ${result.sentences} rectification-notice sentences`,
  );
}
