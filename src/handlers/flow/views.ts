// Every sentence the dialog machinery says, in one place and one wording: the reminder of where the
// person is, the question before leaving a dialog, and the retries of the shared steps.

/** 请发送责任单位。 → 请发送责任单位 (the hint is quoted inside a sentence). */
const bare = (hint: string): string => hint.replace(/[。；;，,：:！!\s]+$/u, '');

/** The line added to an answer given while a dialog is open. */
export function whereLine(title: string, hint: string | undefined): string {
  if (!hint) return `（正在《${title}》：请按上一条提示回复，或回复“取消”）`;
  // A confirmation's hint says 回复“取消”放弃 already.
  return hint.includes('“取消”')
    ? `（正在《${title}》：${bare(hint)}）`
    : `（正在《${title}》：${bare(hint)}，或回复“取消”）`;
}

/** What a dialog-switch question shows of the pending action. */
export type PendingLabel = { kind: 'text'; text: string } | { kind: 'card'; button: string };

const describe = (pending: PendingLabel): string =>
  pending.kind === 'text' ? `执行“${clip(pending.text)}”` : `处理刚才点击的“${pending.button}”`;

/** What 否 does: back to the dialog, or (a command typed into free text) keep the message as content. */
const noMeans = (title: string, asContent: boolean): string =>
  asContent ? '回复“否”则把这条消息作为填写的内容' : `回复“否”回到《${title}》`;

export function switchQuestion(title: string, pending: PendingLabel, asContent = false): string {
  return `您正在《${title}》，尚未完成。要放弃它并${describe(pending)}吗？回复“是”放弃并继续，${noMeans(title, asContent)}。`;
}

export function switchRetry(title: string, pending: PendingLabel, asContent = false): string {
  return `请回复“是”放弃《${title}》并${describe(pending)}，或${noMeans(title, asContent)}。`;
}

export function switchAbandoned(title: string): string {
  return `已放弃《${title}》。`;
}

export function switchBack(title: string, hint: string | undefined): string {
  return `好的，继续《${title}》。${hint ? bare(hint) + '。' : '请按上一条提示回复。'}`;
}

export const SWITCH_YES = new Set(['是', '是的', '好', '好的', '放弃', 'y', 'yes']);
export const SWITCH_NO = new Set(['否', '不', '不是', '继续', 'n', 'no']);

export function roleChanged(title: string, roleLabel: string): string {
  return `您的角色已变更为${roleLabel}，《${title}》已结束，未保存任何内容。`;
}

export function unitChanged(title: string): string {
  return `您所在的单位已变更，《${title}》已结束，未保存任何内容。`;
}

export function notAllowedNow(title: string): string {
  return `您已无权继续《${title}》，操作已结束，未保存任何内容。`;
}

// The shared steps' retries.

export function textOnly(label: string): string {
  return `请用文字发送${label}。`;
}

export function tooLong(label: string, max: number, length: number): string {
  return `${label}不能超过 ${max} 个字（现为 ${length} 个字），请精简后重新发送。`;
}

export function choiceRetry(label: string, count: number): string {
  return count === 1 ? `请回复 1 或名称选择${label}。` : `请回复 1–${count} 的序号或名称选择${label}。`;
}

export function choiceAmbiguous(typed: string, lines: string[]): string {
  return [`“${clip(typed)}”对应多个选项，请回复序号：`, ...lines].join('\n');
}

export function choiceMenu(heading: string, lines: string[], more: number): string {
  const tail = more > 0 ? [`（另有 ${more} 项，回复“更多”查看）`] : [];
  return [heading, ...lines, ...tail].join('\n');
}

export const MORE_WORDS = new Set(['更多', '下一页', '下页']);

/** The one wording of a preview's last line. */
export function confirmPrompt(action: string, edits: readonly string[] = []): string {
  const others = edits.slice(1);
  const edit = edits.length
    ? `回复“修改 ${edits[0]}”${others.length ? `（或 ${others.join('、')}）` : ''}修改；`
    : '';
  return `回复“确认”${action}；${edit}回复“取消”放弃。`;
}

/** 否 at a preview whose step declines (see confirmStep's `decline`). */
export const DECLINE_WORDS = new Set(['否', '不', '不确认', '不要', '算了']);

export function confirmRetry(action: string, edits: readonly string[] = []): string {
  return `没有看懂。${confirmPrompt(action, edits)}`;
}

/** What a text waiting for 确认 asks for (the reminder line while the person does something else). */
export function pendingTextHint(): string {
  return '回复“确认”保存，或发送修改后的内容';
}

export function pendingTextRetry(): string {
  return '您有一条待确认的内容：回复“确认”保存；如需修改，请发送修改后的内容；发送“取消”放弃。';
}

function clip(value: string, max = 20): string {
  const chars = [...value];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : value;
}

/** 拒绝 → 拒绝理由 (a reason flow's label in retries). */
export function reasonLabel(verb: string): string {
  return `${verb}理由`;
}

/** 拒绝 → 请发送拒绝理由 (a reason flow's text step). */
export function reasonHint(verb: string): string {
  return `请发送${verb}理由`;
}

// The file-collection step.

/** The word that ends every file collection (a flow may add its own, such as 提交). */
export const DONE_WORD = '完成';
/** How a collection is called in the cap's refusal when the flow does not say (本次办理). */
export const COLLECTION = '本次';

export function mediaOnly(): string {
  return '只能接收文字、文件或图片。';
}

export function filesOnly(doneWord: string): string {
  return `请发送文件或图片，全部发送后回复“${doneWord}”；回复“取消”放弃。`;
}

export function fileKept(count: number, doneWord: string): string {
  return `已收到附件（共 ${count} 个）。可继续发送，全部发送后回复“${doneWord}”。`;
}

export function tooManyFiles(max: number, doneWord: string): string {
  return `附件已达 ${max} 个，这个文件未记录。请回复“${doneWord}”，或将材料合并后再发送。`;
}
