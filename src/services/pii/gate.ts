// The check every submitted text goes through (case texts, rectification replies, filings, guestbook
// answers): block findings stop it, warn findings ask for 确认, and what was accepted is audited.
import { detectPii, type PiiFinding } from './detector.js';
import { formatSubmissionGate, summariseFindings, type PiiFindingSummary } from './report.js';
import type { AppServices } from '../index.js';

export type GateResult =
  | { outcome: 'pass'; findings: [] }
  | { outcome: 'block'; message: string; findings: PiiFinding[] }
  | { outcome: 'confirm'; message: string; findings: PiiFinding[] };

export function gateSubmission(text: string, allowList: readonly string[]): GateResult {
  const findings = detectPii(text, { allowList });
  const gate = formatSubmissionGate(findings, text);
  if (gate.outcome === 'pass') return { outcome: 'pass', findings: [] };
  return { ...gate, findings };
}

/** The words that accept warn findings in a conversation step. */
export const CONFIRM_WORDS = new Set(['确认', '确定', '是']);

/**
 * Records in the audit log which warn findings the member accepted for a stored record (masked
 * values only). Returns the summary to keep on the record itself.
 */
export async function auditAcceptedFindings(
  services: AppServices,
  actor: string,
  target: string,
  findings: readonly PiiFinding[] | readonly PiiFindingSummary[],
): Promise<PiiFindingSummary[]> {
  const summary = findings.map(({ kind, severity, masked }) => ({ kind, severity, masked }));
  if (summary.length > 0) {
    await services.audit({
      actor,
      action: 'pii.accept',
      target,
      detail: `确认保存含提醒项的内容：${summary.map((f) => `${f.kind}:${f.masked}`).join('，')}`,
    });
  }
  return summary;
}

export { summariseFindings };
