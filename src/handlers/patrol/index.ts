// 网站巡检: 巡检 [单位|网站|全部] starts a patrol (read by the instances' patrol workers, see
// src/services/patrol/runner.ts); 巡检结果 [单位] lists open findings; 巡检下发 <编号…> turns chosen
// findings into rectification tasks for their units, with the evidence.
import { markdown } from '../../messages/outbound.js';
import { unknownUnitText } from '../../services/directory/lookup.js';
import { issueFindings, resolveTarget, startPatrol } from '../../services/patrol/service.js';
import { findingsOf } from '../../services/patrol/store.js';
import {
  findingsMessage,
  issueRefusalText,
  NO_SITES_TEXT,
  runBusyText,
  runStartedText,
} from '../../services/patrol/views.js';
import { actorOf, effectsOf } from '../context.js';
import { assignmentNotifications, createdSummary } from '../tasks/assign.js';
import { calendarOf } from '../tasks/common.js';
import { ALL_ROLES, READ_ONLY_ARGS, SUPERVISORS, reply, type Command, type Feature } from '../types.js';

const GROUP = '网站巡检';

const patrolCommand: Command = {
  name: '巡检',
  roles: SUPERVISORS,
  summary: '巡检网站：个人信息、死链、外部链接、栏目更新',
  usage: '巡检 [单位｜网站｜全部]',
  args: 'optional',
  group: GROUP,
  handle: async (ctx) => {
    const target = await resolveTarget(ctx.tx, ctx.args);
    const { patrol } = ctx.services.config;
    const outcome = await startPatrol(effectsOf(ctx), target, { exclude: patrol.exclude }, actorOf(ctx));
    switch (outcome.kind) {
      case 'unknown':
        return reply(unknownUnitText(ctx.args, outcome.suggestions));
      case 'busy':
        return reply(runBusyText(outcome.run, outcome.done, outcome.total));
      case 'no-sites':
        return reply(NO_SITES_TEXT);
      case 'started':
        return reply(runStartedText(outcome.run, outcome.sites, patrol.pagesPerSite));
    }
  },
};

const resultsCommand: Command = {
  name: '巡检结果',
  roles: ALL_ROLES,
  readOnly: READ_ONLY_ARGS.unit,
  summary: '查看网站巡检发现的未消除问题',
  usage: '巡检结果 [单位]',
  args: 'optional',
  group: GROUP,
  handle: async (ctx) => {
    // A liaison sees their own unit's; a supervisor anyone's.
    if (ctx.user.role === 'liaison') {
      const top = ctx.user.topUnit;
      if (!top) return reply('您尚未登记所属单位，请联系督办人员。');
      const rows = await findingsOf(ctx.tx, { unitIds: [top.id], open: true });
      return { replies: [findingsMessage(rows, top.name, ctx.now, false)] };
    }
    if (!ctx.args) {
      return { replies: [findingsMessage(await findingsOf(ctx.tx, { open: true }), null, ctx.now)] };
    }
    const target = await resolveTarget(ctx.tx, ctx.args);
    if (target.kind === 'unknown') return reply(unknownUnitText(ctx.args, target.suggestions));
    const rows =
      target.kind === 'site'
        ? await findingsOf(ctx.tx, { websiteId: target.website.id, open: true })
        : await findingsOf(ctx.tx, {
            open: true,
            ...(target.kind === 'unit' ? { unitIds: target.unitIds } : {}),
          });
    const scope = target.kind === 'site' ? target.website.name : target.kind === 'unit' ? target.name : null;
    return { replies: [findingsMessage(rows, scope, ctx.now)] };
  },
};

const issueCommand: Command = {
  name: '巡检下发',
  roles: SUPERVISORS,
  summary: '把巡检问题下发给所属单位整改（附证据）',
  usage: '巡检下发 X编号 …',
  args: 'required',
  group: GROUP,
  handle: async (ctx) => {
    const outcome = await issueFindings(effectsOf(ctx), ctx.args, await calendarOf(ctx), actorOf(ctx));
    if (!outcome.ok) return reply(issueRefusalText(outcome.refusal));
    return {
      replies: [markdown(await createdSummary(ctx, outcome.tasks, '巡检问题'))],
      notify: await assignmentNotifications(ctx, outcome.tasks),
    };
  },
};

export const patrolFeature: Feature = {
  name: 'patrol',
  commands: [patrolCommand, resultsCommand, issueCommand],
};
