// The words of 检查 (the personal-information check before publication).

export const FLOW_TITLE = '检查个人信息';
export const SUMMARY = '发布前检查文字或文件中的个人信息（身份证号、手机号、银行卡号、健康信息等）';
export const USAGE = '检查 <文字>';
export const GROUP = '个人信息保护';

/** What the dialog waits for (also the reminder while the person does something else). */
export const WAITING_HINT = '请发送要检查的文字或文件';

export const START_TEXT =
  '请发送要检查的文字（可直接粘贴稿件），或发送 .txt / .docx / .html 文件、转发文章链接。发送“取消”退出。';

export const SEND_TEXT_OR_FILE = '请发送要检查的文字，或 .txt / .docx / .html 文件；发送“取消”退出。';

export function unsupportedFile(fileName: string): string {
  return `暂不支持检查“${fileName || '该文件'}”，请发送 .txt / .docx / .html 文件或直接粘贴文字。`;
}

export const EMPTY_FILE = '文件中没有可检查的文字。';
export const EMPTY_PAGE = '该链接的网页中没有可检查的文字。';

/** How a refused file or page is named in the refusal. */
export const PAGE_NOUN = '网页';
export const FILE_NOUN = '文件';

/** 《标题》 of a shared article, at most 40 characters. */
export function articleTitle(title: string): string {
  return title ? `《${[...title].slice(0, 40).join('')}》` : '';
}

/** The page could not be read and nothing else was shared. */
export function unreadPage(error: string): string {
  return `${error}可将文章文字粘贴发送，或发送文件。`;
}

/** The page could not be read: only what WeCom passed along (title and summary) was checked. */
export function sharedOnlyHeading(title: string, error: string): string {
  return `文章${title}正文未能读取：${error}以下只检查了标题和摘要。`;
}

/** The report's heading for an article: the site, not the whole address. */
export function articleHeading(title: string, host: string): string {
  return `文章${title}（${host}）：`;
}
