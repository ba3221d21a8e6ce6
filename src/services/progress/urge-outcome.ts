// What 催办 comes to, as values: the service decides (urge.ts), the views word it (views.ts).

/** Why nothing was sent. */
export type UrgeRefusal =
  | { kind: 'no-overdue' }
  | { kind: 'unknown-unit'; name: string; suggestions: string[] }
  | { kind: 'unit-clear'; unitName: string }
  | { kind: 'no-task'; ref: string }
  | { kind: 'task-done'; ref: string }
  | { kind: 'task-submitted'; ref: string }
  | { kind: 'task-changed'; ref: string }
  | { kind: 'no-message'; ref: string }
  | { kind: 'message-done'; ref: string }
  | { kind: 'no-call'; ref: string }
  | { kind: 'call-closed'; ref: string }
  | { kind: 'call-met'; ref: string };

export type UrgeAnswer = { kind: 'refused'; reason: UrgeRefusal } | { kind: 'pushed'; results: UrgeResult[] };

/** One reminder's fate: sent to whom, already sent today, or nobody to send it to. */
export interface UrgeResult {
  subject: string;
  unitName: string;
  sent: string[];
  already: number;
  noLiaison: boolean;
}
