// Words of the filing decisions (备案确认, 备案退回) and the group name shared with 账号清单.
import { memberText } from '../../messages/member-text.js';

export const MEDIA_GROUP = '政务新媒体账号';

export function askRejectReason(ref: string): string {
  return `请发送退回账号备案 ${ref} 的理由（发送“取消”放弃）：`;
}

export function rejected(ref: string): string {
  return `已退回账号备案 ${ref}，已通知提交单位。`;
}

export function rejectedNotice(ref: string, subject: string, reason: string): string {
  return `您单位的账号备案 ${ref}（${subject}）被退回。\n理由：${memberText(reason)}\n请核对后重新发送“账号备案”。`;
}
