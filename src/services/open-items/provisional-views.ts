// The words of a recompute after a holiday schedule is imported: the one message a unit's liaisons
// get, and the line the importing admin (or the CLI) reads.
import { markdown, type OutMessage } from '../../messages/outbound.js';
import { PROVISIONAL_MARK } from '../calendar/deadlines.js';
import { formatDeadline } from '../calendar/time.js';

export type RecomputedKind = 'task' | 'case-call' | 'guestbook' | 'filing' | 'extension';

/** One open deadline that moved when a year's schedule was imported. */
export interface DeadlineMove {
  kind: RecomputedKind;
  ref: string;
  title: string;
  before: Date;
  after: Date;
  /** Still counted on a provisional year (the move is real, the new date still 预估). */
  provisional: boolean;
  /** The top-level units whose liaisons are told. */
  unitIds: number[];
}

const KIND_LABELS: Record<RecomputedKind, string> = {
  task: '任务',
  'case-call': '案例征集',
  guestbook: '留言',
  filing: '账号备案',
  extension: '延期申请',
};

/** `**【期限调整】** …` with one quoted line per moved item, old date struck through in words. */
export function recomputeMessage(year: number, moves: readonly DeadlineMove[]): OutMessage {
  const lines = [
    `**【期限调整】** ${year} 年节假日安排已发布并导入，以下事项原为预估的期限已按正式安排重新计算：`,
    ...moves.map(
      (move) =>
        `> ${KIND_LABELS[move.kind]} ${move.ref} ${move.title}：${formatDeadline(move.before)} → **${formatDeadline(move.after)}${move.provisional ? PROVISIONAL_MARK : ''}**`,
    ),
    '',
    '<font color="comment">请以新的截止时间为准。</font>',
  ];
  return markdown(lines.join('\n'));
}

/** `重新计算了 3 项预估期限，其中 2 项有变化，已通知 2 个单位。` (empty when nothing was provisional). */
export function recomputeSummary(outcome: {
  checked: number;
  moved: readonly unknown[];
  unitsTold: number;
}): string {
  if (outcome.checked === 0) return '';
  if (outcome.moved.length === 0) return `重新计算了 ${outcome.checked} 项预估期限，均无变化。`;
  return `重新计算了 ${outcome.checked} 项预估期限，其中 ${outcome.moved.length} 项有变化，已通知 ${outcome.unitsTold} 个单位的联络员。`;
}
