// What a member is told when content was not read: which limit stopped it and what to do.
import { formatBytes, type ContentKind } from './limits.js';
import type { ContentRefusal } from './refusals.js';

const KIND_NAMES: Record<ContentKind, string> = {
  txt: '文本文件',
  docx: 'Word 文档',
  html: '网页文件',
  page: '网页',
  xlsx: 'Excel 文件',
  csv: 'CSV 文件',
  json: 'JSON 文件',
  pdf: 'PDF 文件',
  attachment: '附件',
};

/** `what`: 文件 for something sent, 网页 for a page behind a link. */
export function refusalText(refusal: ContentRefusal, what: '文件' | '网页' = '文件'): string {
  switch (refusal.reason) {
    case 'too-large':
      if (refusal.kind === 'attachment')
        return `附件超过 ${formatBytes(refusal.limitBytes)}，未记录。请压缩或拆分后重新发送。`;
      return `${KIND_NAMES[refusal.kind]}超过 ${formatBytes(refusal.limitBytes)}，未读取。请精简或拆分后重新发送。`;
    case 'zip': {
      const verdict = refusal.verdict;
      switch (verdict.problem) {
        case 'entries':
          return `文件包含的部件过多（${verdict.found} 个，上限 ${verdict.limit} 个），未读取。请另存为新文件或拆分后重新发送。`;
        case 'uncompressed':
          return `文件解压后超过 ${formatBytes(verdict.limit)}，未读取。请拆分后重新发送。`;
        case 'ratio':
          return `文件压缩比异常（${verdict.found}:1，上限 ${verdict.limit}:1），可能是恶意构造的文件，未读取。`;
        case 'not-zip':
          return '文件已损坏，或并不是 .docx / .xlsx 格式，未读取。';
      }
      break;
    }
    case 'time':
      return what === '网页'
        ? `网页内容过于复杂（解析超过 ${Math.round(refusal.limitMs / 1000)} 秒），无法检查。可将文章文字粘贴发送。`
        : `文件内容过于复杂（解析超过 ${Math.round(refusal.limitMs / 1000)} 秒），请拆分后重新发送。`;
    case 'memory':
      return what === '网页'
        ? `网页内容过于复杂（解析所需内存超过 ${refusal.limitMb} MB），无法检查。可将文章文字粘贴发送。`
        : `文件内容过于复杂（解析所需内存超过 ${refusal.limitMb} MB），请拆分后重新发送。`;
    case 'busy':
      return `正在处理的${what}较多，请稍后重新发送。`;
    case 'crashed':
      return `${what}解析出错，已转交管理员处理。请检查${what}后重新发送。`;
  }
}

/** The 办理 reply's attachments would pass `limitBytes` in total. */
export function replyAttachmentsFullText(limitBytes: number, what = '本次办理', doneWord = '提交'): string {
  return `${what}的附件合计将超过 ${formatBytes(limitBytes)}，这个文件未记录。请回复“${doneWord}”，或将材料压缩后再发送。`;
}

/** The member's uploads today would pass `limitBytes`. */
export function dailyUploadsFullText(limitBytes: number): string {
  return `您今天上传的附件已达 ${formatBytes(limitBytes)} 上限，这个文件未记录，请明天再发送。`;
}

/** The name an image sent without one is kept under. */
export function imageFileName(msgId: string): string {
  return `图片-${msgId}.jpg`;
}
