// Deliveries from people the bot does not serve (not in the directory, or deactivated) are audited:
// who tried, when, and how often. One row per sender per hour carries a count, so that a member
// outside the directory who keeps writing (or a script) cannot flood the audit log.
import type { EntityManager } from 'typeorm';
import { AuditLog } from '../entities/audit-log.js';
import { Person } from '../entities/person.js';
import type { Inbound } from '../bot/inbound.js';
import { writeAudit } from '../services/shared/audit.js';

export const STRANGER_ACTION = 'access.refused';

const HOUR = 3_600_000;

/** What the stranger sent, in a word: a text, a file, a card click, opening the app. */
function what(inbound: Inbound): string {
  if (inbound.type === 'event') return `事件 ${inbound.event}`;
  if (inbound.type === 'other') return inbound.msgType;
  return inbound.type;
}

/** Records (or counts) an attempt by a sender who is not an active member. */
export async function auditStranger(tx: EntityManager, inbound: Inbound, now: Date): Promise<void> {
  const actor = inbound.fromUser.slice(0, 64);
  const windowStart = new Date(Math.floor(now.getTime() / HOUR) * HOUR);
  const counted = await tx
    .createQueryBuilder()
    .update(AuditLog)
    .set({ count: () => 'count + 1' })
    .where('actor = :actor AND action = :action AND at >= :windowStart', {
      actor,
      action: STRANGER_ACTION,
      windowStart,
    })
    .execute();
  if ((counted.affected ?? 0) > 0) return;
  const person = await tx.getRepository(Person).findOne({ where: { userid: actor }, select: { id: true } });
  await writeAudit(tx, now, {
    actor,
    action: STRANGER_ACTION,
    target: 'bot',
    result: 'denied',
    detail: `${person ? '账号已停用' : '不在通讯录'}；${what(inbound)}（同一小时内的再次尝试计入次数）`,
  });
}
