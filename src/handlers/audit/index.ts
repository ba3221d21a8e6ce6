// 审计 [userid|单位] [天数]: what was done and refused, for admins (等保 2.0 asks that the audit log
// be reviewable). A short chat view; past AUDIT_CHAT_ROWS rows, the whole window as a file too.
import { saveXlsx } from '../../db/files.js';
import { text } from '../../messages/outbound.js';
import { findUnitByName, topUnitOf, unknownUnitText } from '../../services/directory/lookup.js';
import { accountsOfUnit, findAuditRows } from '../../services/audit/store.js';
import { AUDIT_CHAT_ROWS, auditChatMessage, auditWorkbook } from '../../services/audit/views.js';
import { ADMINS, type Feature, type HandlerContext, type HandlerResult } from '../types.js';

const USAGE = '审计 [userid|单位] [天数]';
const DEFAULT_DAYS = 7;
const USERID = /^[A-Za-z0-9_.@-]{1,64}$/;

type Subject = { scope: string; actors?: string[] } | { error: string };

/** Whose rows: everyone's, one account's, or the people of a unit (a name that is no unit is a userid). */
async function subjectOf(ctx: HandlerContext, words: string): Promise<Subject> {
  if (words === '') return { scope: '全部' };
  const found = await findUnitByName(ctx.tx, words);
  if (found.unit) {
    const top = (await topUnitOf(ctx.tx, found.unit.id)) ?? found.unit;
    return { scope: top.name, actors: await accountsOfUnit(ctx.tx, top.id) };
  }
  if (USERID.test(words)) return { scope: words, actors: [words] };
  return { error: `${unknownUnitText(words, found.suggestions)}（也可写账号 userid）` };
}

async function audit(ctx: HandlerContext): Promise<HandlerResult> {
  const words = ctx.rawArgs.trim().split(/\s+/).filter(Boolean);
  const retention = ctx.services.config.auditRetentionDays;
  let days = DEFAULT_DAYS;
  if (words.length > 0 && /^\d+$/.test(words.at(-1)!)) {
    days = Number(words.pop());
    if (days < 1 || days > retention) {
      return { replies: [text(`天数须为 1–${retention}（审计记录保存 ${retention} 天）。用法：${USAGE}`)] };
    }
  }
  const subject = await subjectOf(ctx, words.join(' '));
  if ('error' in subject) return { replies: [text(subject.error)] };
  const since = new Date(ctx.now.getTime() - days * 86_400_000);
  const found = await findAuditRows(ctx.tx, { actors: subject.actors, since });
  await ctx.services.audit({
    actor: ctx.user.userid,
    action: 'audit.view',
    target: subject.scope,
    detail: `近 ${days} 天，${found.total} 条`,
  });
  const replies: HandlerResult['replies'] = [auditChatMessage(subject.scope, days, found)];
  if (found.total > AUDIT_CHAT_ROWS) {
    const stored = await saveXlsx(
      ctx.tx,
      await auditWorkbook(subject.scope, days, found, ctx.now),
      ctx.user.userid,
      ctx.now,
    );
    replies.push({ type: 'file', fileId: stored.id });
  }
  return { replies };
}

export const auditFeature: Feature = {
  name: 'audit',
  commands: [
    {
      name: '审计',
      roles: ADMINS,
      summary: '查看审计记录（操作与拒绝）：全部、某个账号或某个单位，默认近 7 天；较多时附 Excel 文件',
      usage: USAGE,
      args: 'optional',
      group: '管理',
      handle: audit,
    },
  ],
};
