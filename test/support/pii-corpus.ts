/**
 * Sentences written in the wording of published rectification notices (整改通报, 普查情况通报,
 * 信息公开 公示 and the pages they criticise), each with the findings the detector must give:
 * `kind:severity` in order of position. Positives are the shapes in which personal information
 * really leaks from government pages (公示名单, 补贴发放, 信访答复, 处罚决定); negatives are the
 * numbers and health words such pages are full of without naming anyone. Every value is fictional
 * and built with the test vectors (valid check digits where a real one would have them).
 *
 * Used by the table test (test/pii-corpus.test.ts) and by `npm run bench` (precision and recall).
 */
import { breakIdCheck, breakLuhn, makeCard, makeCreditCode, makeId, toFullWidth } from './pii-vectors.js';

export interface CorpusSentence {
  text: string;
  /** `kind:severity` of every finding, by position; empty for a negative. */
  expected: string[];
}

const ID_1 = makeId('370303', '19850704', '215');
const ID_2 = makeId('370322', '19920131', '123');
const ID_3 = makeId('370102', '19700315', '051');
const ID_4 = makeId('371122', '20000229', '032');
const ID_BAD_DATE = `370322199202301230`; // 2月30日: impossible, yet presented as an ID
const ID_BAD_CHECK = breakIdCheck(ID_2);
const LEGACY = '370303850704215';
const CARD_1 = makeCard('622202', 19, '160200100123456789');
const CARD_2 = makeCard('621700', 16, '2345678901234');
const CARD_3 = makeCard('436742', 16, '9988776655443');
const CARD_NO_LUHN = breakLuhn(makeCard('622848', 19, '0012345678901234'));
const CARD_PLAIN = breakLuhn(makeCard('955880', 19, '1234567890123'));
const CREDIT = makeCreditCode('91370300MA3C12345');
const CREDIT_DIGITS = makeCreditCode('12370300004123456');

const grouped = (digits: string) => digits.replace(/(\d{4})(?=\d)/g, '$1 ');

export const PII_CORPUS: readonly CorpusSentence[] = [
  // --- 身份证号 -------------------------------------------------------------------------------
  {
    text: `经查，某街道办事处网站《低保对象公示》中公开了申请人身份证号码${ID_1}，未作脱敏处理。`,
    expected: ['id_card:block'],
  },
  { text: `公示名单：张某某，身份证号：${ID_2}，家庭住址略。`, expected: ['id_card:block'] },
  { text: `${ID_3}（公民身份号码）已由申请人本人核对。`, expected: ['id_card:block'] },
  { text: `该局政务微信发布的处罚决定书载明当事人公民身份号码${ID_4}。`, expected: ['id_card:block'] },
  { text: `身份证号${ID_BAD_DATE}`, expected: ['id_card:block'] },
  {
    text: `补贴发放表中“身份证号”一栏填写为${ID_BAD_DATE}，仍属公开个人身份信息。`,
    expected: ['id_card:block'],
  },
  { text: `申请人身份证号：${ID_BAD_CHECK}（校验位有误）。`, expected: ['id_card:block'] },
  { text: `身份证：${toFullWidth(ID_1)}。`, expected: ['id_card:block'] },
  { text: `证件号码 ${ID_BAD_CHECK} 与系统登记不一致。`, expected: ['id_card:warn'] },
  { text: `${ID_BAD_CHECK}（公民身份号码）有误，请核实。`, expected: ['id_card:warn'] },
  { text: `旧版证件号${LEGACY}仍在页面中可见。`, expected: ['id_card_legacy:warn'] },
  { text: `身份证号码：${LEGACY}。`, expected: ['id_card_legacy:block'] },
  { text: `获奖名单：李某（${ID_2}）、王某（${ID_3}）。`, expected: ['id_card:block', 'id_card:block'] },
  { text: `经办人赵XX，身份证号${ID_1}，联系电话13905331234。`, expected: ['id_card:block', 'mobile:block'] },
  // --- 手机号 --------------------------------------------------------------------------------
  { text: '某区政务抖音号评论区回复中公开了群众手机号13805338888。', expected: ['mobile:block'] },
  { text: '联系人：王某，手机：139 0533 1234。', expected: ['mobile:block'] },
  { text: '举报人电话+86 15866669999已转交属地处理。', expected: ['mobile:block'] },
  { text: '如有疑问请联系18653312345（工作日）。', expected: ['mobile:block'] },
  { text: '答复中直接写明来信人手机号码177-0533-6666。', expected: ['mobile:block'] },
  { text: '信访答复意见书抄送信访人（电话：15053310001）。', expected: ['mobile:block'] },
  { text: '中标公示中联系人及电话：孙某 13356781234。', expected: ['mobile:block'] },
  { text: '请拨打１３９５３３１２３４５咨询。', expected: ['mobile:block'] },
  // --- 银行卡号、金融账户 --------------------------------------------------------------------
  { text: `补贴资金已打入户主本人银行卡，卡号${CARD_1}。`, expected: ['bank_card:block'] },
  { text: `收款账号：${grouped(CARD_2)}，开户行：农业银行淄博分行。`, expected: ['bank_card:block'] },
  { text: `信用卡${CARD_3}逾期记录已消除。`, expected: ['bank_card:block'] },
  { text: `卡号${CARD_NO_LUHN}（抄录有误）仍属金融账户信息。`, expected: ['bank_card:block'] },
  { text: `账号：${CARD_PLAIN}`, expected: ['bank_card:block'] },
  { text: `银行卡号 ${CARD_PLAIN} 已核实。`, expected: ['bank_card:block'] },
  { text: `中国银行 ${CARD_PLAIN} 为代发账户。`, expected: ['bank_card:warn'] },
  { text: `退款将原路退回至${CARD_1}。`, expected: ['bank_card:block'] },
  // --- 固定电话、邮箱、护照 ----------------------------------------------------------------
  { text: '投诉人家庭电话0533-6123456已在答复中删除。', expected: ['landline:warn'] },
  { text: '联系电话：（0533）2345678。', expected: ['landline:warn'] },
  { text: '请将材料发送至zhangsan1985@qq.com，逾期不予受理。', expected: ['email:warn'] },
  { text: '申请人邮箱lisi_2020@163.com。', expected: ['email:warn'] },
  { text: '出国人员护照号E12345678已登记备案。', expected: ['passport:warn'] },
  { text: '往来港澳通行证号码C12345678。', expected: ['passport:warn'] },
  // --- 健康状况 ------------------------------------------------------------------------------
  { text: '该同志患有乙肝，已按规定调整工作岗位。', expected: ['health:warn'] },
  { text: '经核实，该职工患糖尿病并发症多年，符合困难职工认定条件。', expected: ['health:warn'] },
  { text: '患者张某确诊乙肝，已住院治疗。', expected: ['health:warn'] },
  { text: '其患有抑郁症，长期在家休养。', expected: ['health:warn'] },
  { text: '救助对象李某某系艾滋病病毒感染者。', expected: ['health:warn'] },
  { text: '该患者诊断为肺结核，已落实隔离措施。', expected: ['health:warn'] },
  {
    text: '村民王小明患有精神分裂症，已纳入严重精神障碍患者管理。',
    expected: ['health:warn', 'health:warn'],
  },
  { text: '困难群众刘某某，肢体残疾证二级，享受两项补贴。', expected: ['health:warn'] },
  { text: '经鉴定，该申请人为智力残疾三级。', expected: ['health:warn'] },
  { text: '申请人陈XX患高血压、冠心病，申请门诊慢特病待遇。', expected: ['health:warn', 'health:warn'] },
  { text: '该同志罹患恶性肿瘤，现申请大病救助。', expected: ['health:warn'] },
  { text: '患者于3月5日入院，诊断为新冠肺炎。', expected: ['health:warn'] },
  { text: '该生患有孤独症，申请随班就读。', expected: ['health:warn'] },
  { text: '王某女士病史记录已随件公开。', expected: ['health:warn'] },
  { text: `申请人${ID_1}，体检结果异常。`, expected: ['id_card:block', 'health:warn'] },
  { text: '联系人13805331111，其子患有白血病。', expected: ['mobile:block', 'health:warn'] },
  { text: '该居民身患尿毒症，需长期治疗。', expected: ['health:warn'] },
  { text: '经查，该员工确诊为双相情感障碍。', expected: ['health:warn'] },
  { text: '张某某同志患脑梗死后遗症，申请病退。', expected: ['health:warn'] },
  { text: '上述人员中，该老人系视力残疾一级。', expected: ['health:warn'] },
  { text: '该男子为梅毒患者，已转诊。', expected: ['health:warn'] },
  { text: '李某先生有癫痫病史。', expected: ['health:warn'] },
  { text: '该儿童患手足口病，已居家隔离。', expected: ['health:warn'] },
  { text: '当事人赵某某患有严重精神障碍，由监护人代为申请。', expected: ['health:warn'] },
  // --- 混合 ----------------------------------------------------------------------------------
  {
    text: `申请人孙某，身份证号${ID_3}，卡号${CARD_2}，电话13905339999。`,
    expected: ['id_card:block', 'bank_card:block', 'mobile:block'],
  },
  {
    text: `户主：周某，公民身份号码${ID_4}，收款账号${grouped(CARD_1)}。`,
    expected: ['id_card:block', 'bank_card:block'],
  },
  { text: '联系人吴某，电话0533-2223334，邮箱wu1990@126.com。', expected: ['landline:warn', 'email:warn'] },
  { text: `困难职工郑某，身份证号${ID_BAD_DATE}，患有尿毒症。`, expected: ['id_card:block', 'health:warn'] },
  // --- 不是个人信息 -------------------------------------------------------------------------
  { text: '为进一步加强全市政府网站和政务新媒体建设管理，现将第一季度普查情况通报如下。', expected: [] },
  {
    text: '各级各部门要认真学习《中华人民共和国个人信息保护法》有关规定，增强个人信息保护意识。',
    expected: [],
  },
  {
    text: '坚决避免发生泄露个人身份证号码、手机号、金融账户、健康状况等依法依规不应公开的个人信息。',
    expected: [],
  },
  { text: '根据《国务院办公厅关于加强政府网站域名管理的通知》（国办函〔2018〕55号）执行。', expected: [] },
  { text: '淄政办字〔2023〕12号文件已印发。', expected: [] },
  { text: `统一社会信用代码：${CREDIT}。`, expected: [] },
  { text: `事业单位统一社会信用代码${CREDIT_DIGITS}。`, expected: [] },
  { text: '于2023年3月21日前报送，发布日期: 2023-03-20 08:36:56。', expected: [] },
  { text: '网站标识码3703000012，ICP备案号鲁ICP备05001234号。', expected: [] },
  { text: '鲁公网安备37030302000123号。', expected: [] },
  { text: '服务热线12345，消费者投诉举报电话12315。', expected: [] },
  { text: '客服电话400-123-4567，值班电话0533-12345。', expected: [] },
  { text: '全年完成投资13800000000元，同比增长5.2%。', expected: [] },
  { text: '项目总投资1,380,000元，其中财政资金600,000元。', expected: [] },
  { text: '订单编号202303211234567890123456已受理。', expected: [] },
  { text: '来文请发送至市大数据局邮箱zbdsjj@zibo.gov.cn。', expected: [] },
  { text: '加强艾滋病防治宣传，提高群众健康素养。', expected: [] },
  { text: '为糖尿病患者提供门诊慢特病用药保障。', expected: [] },
  { text: '做好严重精神障碍患者服务管理工作。', expected: [] },
  { text: '开展高血压、糖尿病等慢性病健康管理。', expected: [] },
  { text: '加强对患者隐私的保护，病历资料不得随意公开。', expected: [] },
  { text: '中风险地区来返人员须主动报备。', expected: [] },
  { text: '系统瘫痪期间暂停网上办理。', expected: [] },
  { text: '对网站深度透析，找出存在的问题。', expected: [] },
  { text: '其他事项另行通知，其中重点任务由专班推进。', expected: [] },
  { text: '为残疾人提供无障碍浏览服务，残疾证办理指南已更新。', expected: [] },
  { text: '医院提高诊断水平，完善传染病报告制度。', expected: [] },
  { text: '截至目前，全市共有政府网站54个，政务新媒体账号660个。', expected: [] },
  { text: '市政府办公室组织开展了第一季度普查，发现问题32个。', expected: [] },
  { text: '政务新媒体的开设、变更、关停、注销均在3个工作日内完成备案。', expected: [] },
  { text: '收到留言后2个工作日内完成办理。', expected: [] },
  { text: '《政府网站、政务新媒体典型做法信息表》见附件。', expected: [] },
  { text: '各区县至少提报5个、市直部门至少提报1个典型案例。', expected: [] },
  { text: '市公安局张店分局开设“张店警方”抖音号。', expected: [] },
  { text: '本次抽查网站20个，合格率95%，较上季度提高3个百分点。', expected: [] },
  { text: '邮政编码255000，传真号码请见官网。', expected: [] },
  { text: '第3703000012号网站已关停并发布公告。', expected: [] },
  { text: '财政专户资金共计12,345,678.90元。', expected: [] },
  { text: '会议于2026年12月7日9:00召开，地点在市民中心。', expected: [] },
  { text: '批次号2023032100001，共计15000份。', expected: [] },
  { text: '该同志工作认真，表现突出，予以通报表扬。', expected: [] },
  { text: '患者满意度调查结果显示，总体满意率达98%。', expected: [] },
  { text: '其所在单位已完成整改。', expected: [] },
  { text: '全市共登记持证残疾人12345名。', expected: [] },
  { text: '2022年全市新增艾滋病病毒感染者较上年下降。', expected: [] },
  { text: '疫苗接种点位及咨询电话详见附件（均为办公电话）。', expected: [] },
  { text: '账号名称：淄博发布；账号主体：市委网信办。', expected: [] },
  { text: '微信公众号“淄博水利”已完成账号迁移。', expected: [] },
];
