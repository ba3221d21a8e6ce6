// 导出案例: the notice's attachment 《政府网站、政务新媒体典型做法信息表》 filled from the cases of a
// call (sheet 1), and the quota summary per unit (sheet 2), as an .xlsx that prints on A4 landscape.
import { In, type EntityManager } from 'typeorm';
import type { CaseCall } from '../../entities/case-call.js';
import { Person } from '../../entities/person.js';
import { CASE_CHANNEL_LABELS, CASE_STATUS_LABELS, type TypicalCase } from '../../entities/typical-case.js';
import { UNIT_KIND_LABELS, Unit } from '../../entities/unit.js';
import { callDeadlineText, callName, sheetDateTime } from './views.js';
import { UNIT_KIND_ORDER, callRef, caseRef } from './rules.js';
import { callProgress, channelNames, channelTargetName, liveCases } from './store.js';
import type { UnitProgress } from './rules.js';
import { shanghaiDate } from '../calendar/time.js';
import { addBorderedRow, addTitledSheet, streamedWorkbook, type SheetColumn } from '../shared/xlsx.js';

export const INFO_SHEET_TITLE = '政府网站、政务新媒体典型做法信息表';
export const INFO_SHEET_NAME = '典型做法信息表';
export const SUMMARY_SHEET_NAME = '配额汇总';

/** Sheet 1 columns: header and width (in characters). */
export const INFO_COLUMNS: readonly SheetColumn[] = [
  { header: '序号', width: 6 },
  { header: '单位', width: 18 },
  { header: '单位类型', width: 10 },
  { header: '主题', width: 14 },
  { header: '渠道', width: 12 },
  { header: '网站/账号名称', width: 22 },
  { header: '案例标题', width: 24 },
  { header: '案例内容', width: 60 },
  { header: '字数', width: 7 },
  { header: '联络员', width: 10 },
  { header: '提交时间', width: 18 },
  { header: '状态', width: 16 },
  // Ours, not the notice's: the number to type in 案例 C7 / 审核案例 C7.
  { header: '案例编号', width: 10 },
];

export const SUMMARY_COLUMNS: readonly SheetColumn[] = [
  { header: '序号', width: 6 },
  { header: '单位', width: 24 },
  { header: '单位类型', width: 10 },
  { header: '应提报', width: 9 },
  { header: '已提交', width: 9 },
  { header: '已采纳', width: 9 },
  { header: '已退回', width: 9 },
  { header: '还需', width: 9 },
  { header: '是否达标', width: 10 },
];

export interface CaseExport {
  fileName: string;
  data: Buffer;
  caseCount: number;
}

/**
 * The call's workbook; with `unit`, that top-level unit's own (导出本单位): its cases and its quota
 * row only.
 */
export async function buildCaseExport(
  tx: EntityManager,
  call: CaseCall,
  now: Date,
  unit?: { id: number; name: string },
): Promise<CaseExport> {
  const cases = await liveCases(tx, [call.id], unit ? [unit.id] : undefined);
  const progress = (await callProgress(tx, call)).filter((row) => !unit || row.unit.id === unit.id);
  const unitIds = [...new Set(cases.flatMap((kase) => [kase.topUnitId, kase.unitId ?? kase.topUnitId]))];
  const units = unitIds.length ? await tx.getRepository(Unit).findBy({ id: In(unitIds) }) : [];
  const unitById = new Map(units.map((unit) => [unit.id, unit]));
  const submitters = [...new Set(cases.map((kase) => kase.submittedBy))];
  const people = submitters.length ? await tx.getRepository(Person).findBy({ userid: In(submitters) }) : [];
  const nameOf = new Map(people.map((person) => [person.userid, person.name]));
  const names = await channelNames(tx, cases);

  const kindRank = (kase: TypicalCase) => {
    const kind = unitById.get(kase.topUnitId)?.kind ?? 'other';
    return UNIT_KIND_ORDER.indexOf(kind);
  };
  const ordered = [...cases].sort(
    (a, b) => kindRank(a) - kindRank(b) || a.topUnitId - b.topUnitId || a.id - b.id,
  );

  const data = await streamedWorkbook(async (workbook, turn) => {
    workbook.creator = '督办助手';
    workbook.created = now;

    const info = addTitledSheet(workbook, INFO_SHEET_NAME, INFO_SHEET_TITLE, INFO_COLUMNS);
    for (const [i, kase] of ordered.entries()) {
      const top = unitById.get(kase.topUnitId);
      const own =
        kase.unitId !== null && kase.unitId !== kase.topUnitId ? unitById.get(kase.unitId) : undefined;
      const status =
        kase.status === 'returned' && kase.returnReason
          ? `${CASE_STATUS_LABELS.returned}：${kase.returnReason}`
          : CASE_STATUS_LABELS[kase.status];
      addBorderedRow(
        info,
        [
          i + 1,
          own ? `${top?.name ?? ''}（${own.name}）` : (top?.name ?? ''),
          top ? UNIT_KIND_LABELS[top.kind] : '',
          kase.theme,
          CASE_CHANNEL_LABELS[kase.channel],
          channelTargetName(kase, names),
          kase.title,
          kase.text,
          kase.textLength,
          nameOf.get(kase.submittedBy) ?? kase.submittedBy,
          sheetDateTime(kase.submittedAt),
          status,
          caseRef(kase.id),
        ],
        [1, 3, 9, 13],
      ).commit();
      await turn();
    }
    info.commit();

    const summary = addTitledSheet(
      workbook,
      SUMMARY_SHEET_NAME,
      `典型案例配额汇总（${callName(call)}，${callDeadlineText(call)}）`,
      SUMMARY_COLUMNS,
    );
    const centred = [1, 3, 4, 5, 6, 7, 8, 9];
    for (const [i, row] of progress.entries()) {
      addBorderedRow(summary, summaryCells(i + 1, row), centred).commit();
      await turn();
    }
    const total = progress.reduce(
      (sum, row) => ({
        quota: sum.quota + row.quota,
        counted: sum.counted + row.counted,
        accepted: sum.accepted + row.accepted,
        returned: sum.returned + row.returned,
        short: sum.short + row.short,
        met: sum.met + Number(row.quota > 0 && row.short === 0),
      }),
      { quota: 0, counted: 0, accepted: 0, returned: 0, short: 0, met: 0 },
    );
    const owing = progress.filter((row) => row.quota > 0).length;
    const totalRow = addBorderedRow(
      summary,
      [
        '合计',
        `${progress.length} 个单位`,
        '',
        total.quota,
        total.counted,
        total.accepted,
        total.returned,
        total.short,
        `${total.met}/${owing}`,
      ],
      centred,
    );
    totalRow.font = { bold: true };
    totalRow.commit();
    summary.commit();
  });
  const day = shanghaiDate(now).replace(/-/g, '');
  const who = unit ? `-${unit.name}` : '';
  return { fileName: `典型案例信息表-${callRef(call.id)}${who}-${day}.xlsx`, data, caseCount: cases.length };
}

function summaryCells(index: number, row: UnitProgress): (string | number)[] {
  return [
    index,
    row.unit.name,
    UNIT_KIND_LABELS[row.unit.kind],
    row.quota,
    row.counted,
    row.accepted,
    row.returned,
    row.short,
    row.quota === 0 ? '不作要求' : row.short === 0 ? '是' : '否',
  ];
}
