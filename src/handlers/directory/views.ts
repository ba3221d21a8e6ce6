// The words of 我的信息, 设置联络员 and 停用 (the directory in chat). The confirmation line is the flow
// kit's one wording (confirmPrompt).
import { memberText } from '../../messages/member-text.js';
import { MEDIA_PLATFORM_LABELS, type MediaPlatform } from '../../entities/media-account.js';
import { ROLE_LABELS, type Person } from '../../entities/person.js';
import { totalAccounts, type Holdings } from '../../services/directory/lookup.js';
import { confirmPrompt } from '../flow/views.js';
import type { Asker } from '../types.js';

export const GROUP = '通讯录管理';

// 停用

export const DEACTIVATE_TITLE = '停用';
export const DEACTIVATE_USAGE = '停用 <userid>';
export const DEACTIVATE_SUMMARY = '停用离岗人员的账号（单位的任务不受影响）';
/** What 确认 does, in 回复“确认”停用. */
export const DEACTIVATE_ACTION = '停用';

export const usage = (usage: string): string => `用法：${usage}`;

export function noSuchAccount(userid: string): string {
  return `没有找到账号「${userid}」。`;
}

export function alreadyInactive(person: Pick<Person, 'name' | 'userid'>): string {
  return `${person.name}（${person.userid}）已是停用状态。`;
}

export function deactivatePreview(
  person: Pick<Person, 'name' | 'userid' | 'role'>,
  unitName: string | null,
  orphanedUnit: string | null,
): string {
  const lines = [
    `请确认：停用 ${person.name}（${person.userid}，${unitName ?? '无单位'} ${ROLE_LABELS[person.role]}）。停用后该账号不能再使用督办助手，单位的任务不受影响。`,
  ];
  if (orphanedUnit) lines.push(`注意：停用后「${orphanedUnit}」将没有在岗联络员，请尽快用“设置联络员”补充。`);
  lines.push(confirmPrompt(DEACTIVATE_ACTION));
  return lines.join('\n');
}

export const ACCOUNT_GONE = '该账号已不存在，未作修改。';

export function deactivated(person: Pick<Person, 'name' | 'userid'>): string {
  return `已停用 ${person.name}（${person.userid}）。`;
}

// 设置联络员

export const SET_LIAISON_TITLE = '设置联络员';
export const SET_LIAISON_USAGE = '设置联络员 <单位> <userid> <姓名>';
export const SET_LIAISON_SUMMARY = '登记新联络员，或调整某人的单位、姓名';
/** What 确认 does, in 回复“确认”设置. */
export const SET_LIAISON_ACTION = '设置';

export function invalidUserid(userid: string): string {
  return `企业微信账号「${userid}」无效（只能由字母、数字和 _-@. 组成，最长 64 位）。`;
}

export function invalidName(name: string): string {
  return `姓名「${name}」无效（1–32 个字，不含数字）。`;
}

export function unknownUnit(name: string, suggestions: readonly string[]): string {
  const hint = suggestions.length > 0 ? `您是不是要找：${suggestions.join('、')}？` : '';
  return `没有找到单位「${name}」。${hint}`;
}

export const who = (name: string, userid: string): string => `${name}（${userid}）`;

export function alreadyLiaison(who: string, unitName: string): string {
  return `${who}已是「${unitName}」的联络员，无需修改。`;
}

export const NEW_REGISTRATION = '新登记';
export const CHANGE_SEPARATOR = '；';

/** 将王晓（wangxiao）设为「高青县司法局」的联络员（新登记） */
export function liaisonSummary(who: string, unitName: string, what: string): string {
  return `将${who}设为「${unitName}」的联络员（${what}）`;
}

export function liaisonPreview(summary: string): string {
  return `请确认：${summary}。\n${confirmPrompt(SET_LIAISON_ACTION)}`;
}

export const UNIT_GONE = '该单位已不存在或已停用，未作修改。';

export const done = (summary: string): string => `已${summary}。`;

export function registeredNotice(unitName: string): string {
  return `您已被登记为「${unitName}」的督办助手联络员。发送“帮助”查看可用指令。`;
}

// 我的信息

export const MY_INFO_SUMMARY = '本人登记信息，本单位的网站和新媒体账号数';
export const MY_INFO_GROUP = '常用';

/** `微信公众号 437 · 新浪微博 90 · …` */
function byPlatform(holding: Holdings): string {
  return (Object.keys(MEDIA_PLATFORM_LABELS) as MediaPlatform[])
    .map((platform) => `${MEDIA_PLATFORM_LABELS[platform]} ${holding.accounts[platform]}`)
    .join(' · ');
}

function holdingLines(holding: Holdings): string[] {
  const lines = [
    `> 政府网站：${holding.websites} 个`,
    `> 政务新媒体：${totalAccounts(holding)} 个（${byPlatform(holding)}）`,
  ];
  if (holding.inactiveAccounts > 0) lines.push(`> 已关停或注销的账号：${holding.inactiveAccounts} 个`);
  return lines;
}

/** The asker's record and their top-level unit's websites and accounts; supervisors also the city. */
export function formatMyInfo(
  asker: Asker,
  own: { holding: Holdings; withSubUnits: boolean } | null,
  city: Holdings | null,
): string {
  const unit = asker.unit
    ? asker.topUnit && asker.topUnit.id !== asker.unit.id
      ? `${memberText(asker.unit.name)}（属${memberText(asker.topUnit.name)}）`
      : memberText(asker.unit.name)
    : '未登记';
  const lines = [
    '**我的信息**',
    `> 姓名：${memberText(asker.name)}`,
    `> 单位：${unit}`,
    `> 角色：${ROLE_LABELS[asker.role]}`,
  ];
  if (own && asker.topUnit) {
    lines.push(
      '',
      `**${memberText(asker.topUnit.name)}**${own.withSubUnits ? '（含下属单位）' : ''}`,
      ...holdingLines(own.holding),
    );
  }
  if (city) lines.push('', '**全市合计**', ...holdingLines(city));
  return lines.join('\n');
}
