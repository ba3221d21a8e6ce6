// Open work items across features, in one shape: the morning digest, the status views and the
// board list them without knowing which feature they come from. Each feature registers a source in
// src/services/open-items/sources.ts.
import type { EntityManager } from 'typeorm';
import type { WorkCalendar } from '../calendar/calendar.js';
import type { StatusColour } from '../calendar/deadlines.js';

export type OpenItemKind = 'task' | 'case-call' | 'guestbook' | 'filing' | 'domain' | 'repost';

export const OPEN_ITEM_KIND_LABELS: Record<OpenItemKind, string> = {
  task: '任务',
  'case-call': '案例征集',
  guestbook: '网站找错留言',
  filing: '账号备案',
  domain: '域名申请',
  repost: '重要信息转载',
};

export interface OpenItem {
  kind: OpenItemKind;
  /** What members type to refer to it: T12, L5, F3, 征集2 … */
  ref: string;
  title: string;
  topUnitId: number;
  /** Null when the item has no deadline. */
  deadline: Date | null;
  /** The deadline was counted on the provisional calendar of a year not yet published (预估). */
  deadlineEstimated?: boolean;
  /** Human status: 待办 / 已退回 / 已提交待审 / 已提交2/5 … */
  state: string;
  /** Whose move it is: the unit (liaisons) or the supervisors (review, approval). */
  awaiting: 'unit' | 'supervisor';
}

export interface OpenItemQuery {
  now: Date;
  calendar: WorkCalendar;
  /** Only these top-level units (a liaison's view); all when omitted. */
  topUnitIds?: number[];
}

/** How many of a unit's items of one source are red (overdue) or yellow (due by the next working day). */
export interface UnitFlagCount {
  topUnitId: number;
  colour: 'red' | 'yellow';
  count: number;
  /** Red: the oldest deadline among them; yellow: the soonest. */
  deadline: Date;
}

export interface FlagQuery extends OpenItemQuery {
  /** The end of the next working day: a yellow deadline is at or before it. */
  horizon: Date;
  /** The status model's colour of a deadline (red once passed, yellow today or next working day). */
  colourOf(deadline: Date): StatusColour;
}

/**
 * One kind of open item. This list is the one definition of an open item: 进度, 逾期, 周报, 催办,
 * 导出进度, the board and the morning digest all read it (src/services/open-items/sources.ts).
 */
export interface OpenItemSource {
  kind: OpenItemKind;
  list(tx: EntityManager, query: OpenItemQuery): Promise<OpenItem[]>;
  /**
   * Optional, for sources with many rows (tasks at 100,000): the red and yellow counts per unit by
   * grouped queries. It must agree with `list` (items awaiting the unit, coloured by `colourOf`);
   * without it the status model counts `list`'s items.
   */
  flagCounts?(tx: EntityManager, query: FlagQuery): Promise<UnitFlagCount[]>;
}
