// `npx duban chat --as <userid>`: talk to the bot as a member, through real encrypted callbacks.
// What the bot sends back arrives two ways, as in WeCom: in the HTTP response (passive reply) and
// through the (fake) WeCom API, which this console long-polls.
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { TemplateCard } from '../messages/outbound.js';
import { WeComCallbackClient, type CallbackResult } from './callback-client.js';
import type { Delivery } from './fake-wecom.js';
import type { SandboxFile } from './sandbox.js';

const ANSI = {
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  cyan: '\x1b[36m',
  reset: '\x1b[0m',
};

interface Button {
  msgid: string;
  key: string;
  text: string;
}

/** Markdown as WeCom renders it, approximated for a terminal. */
export function renderMarkdown(content: string, colour = true): string {
  const c = colour ? ANSI : { bold: '', dim: '', green: '', yellow: '', cyan: '', reset: '' };
  return content
    .replace(/<font color="info">(.*?)<\/font>/g, `${c.green}$1${c.reset}`)
    .replace(/<font color="warning">(.*?)<\/font>/g, `${c.yellow}$1${c.reset}`)
    .replace(/<font color="comment">(.*?)<\/font>/g, `${c.dim}$1${c.reset}`)
    .replace(/\*\*(.+?)\*\*/g, `${c.bold}$1${c.reset}`)
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, `$1 <${c.cyan}$2${c.reset}>`)
    .replace(/^#+\s*(.*)$/gm, `${c.bold}$1${c.reset}`)
    .replace(/^>\s?/gm, '  ');
}

/** A template card as text, with its buttons numbered from `firstNumber`. */
export function renderCard(card: TemplateCard, firstNumber: number, replaced?: string): string {
  const lines = [`┌ ${card.source?.desc ? `${card.source.desc} · ` : ''}${card.main_title.title}`];
  if (card.main_title.desc) lines.push(`│ ${card.main_title.desc}`);
  if (card.emphasis_content)
    lines.push(`│ ${card.emphasis_content.title} ${card.emphasis_content.desc ?? ''}`);
  if (card.sub_title_text) lines.push(`│ ${card.sub_title_text}`);
  for (const item of card.horizontal_content_list ?? []) lines.push(`│ ${item.keyname}：${item.value ?? ''}`);
  if (replaced) lines.push(`│ 〔${replaced}〕`);
  else if (card.replace_text) lines.push(`│ 〔${card.replace_text}〕`);
  else card.button_list?.forEach((button, i) => lines.push(`│ [${firstNumber + i}] ${button.text}`));
  lines.push('└');
  return lines.join('\n');
}

export interface ChatConsoleOptions {
  userid: string;
  sandbox: SandboxFile;
  input: Readable;
  output: Writable;
  colour?: boolean;
}

export async function runChatConsole(options: ChatConsoleOptions): Promise<void> {
  const { sandbox, userid, output } = options;
  if (!sandbox.callbackUrl || !sandbox.apiBase) throw new Error('沙箱信息不完整：请先运行 npm start');
  const client = new WeComCallbackClient({ ...sandbox.credentials, url: sandbox.callbackUrl });
  const apiBase = sandbox.apiBase;
  const write = (text: string) => output.write(`${text}\n`);
  const buttons: Button[] = [];
  let lastWasCard = false;
  let after = 0;
  const stopPolling = new AbortController();

  const show = (delivery: Delivery) => {
    const body = delivery.body[delivery.msgtype] as Record<string, unknown>;
    const time = delivery.at.toString().slice(16, 21);
    const prefix = `${ANSI.dim}[${time}] 督办助手${ANSI.reset}`;
    if (delivery.msgtype === 'template_card') {
      const card = (delivery.replacedCard ?? body) as unknown as TemplateCard;
      const startAt = buttons.length + 1;
      write(`${prefix}\n${renderCard(card, startAt, delivery.replaceName)}`);
      for (const button of card.button_list ?? [])
        buttons.push({ msgid: delivery.msgid, key: button.key, text: button.text });
      lastWasCard = (card.button_list?.length ?? 0) > 0;
      return;
    }
    lastWasCard = false;
    if (delivery.msgtype === 'markdown')
      write(`${prefix}\n${renderMarkdown(String(body.content), options.colour)}`);
    else if (delivery.msgtype === 'text') write(`${prefix}\n${String(body.content)}`);
    else if (delivery.msgtype === 'file')
      write(
        `${prefix}\n[文件] media_id=${String(body.media_id)}（/save ${String(body.media_id)} <路径> 可下载）`,
      );
    else write(`${prefix}\n[${delivery.msgtype}]`);
  };

  const poll = async () => {
    while (!stopPolling.signal.aborted) {
      try {
        const response = await fetch(
          `${apiBase}/sandbox/inbox?userid=${encodeURIComponent(userid)}&after=${after}&wait=20000`,
          { signal: stopPolling.signal },
        );
        const { deliveries } = (await response.json()) as { deliveries: (Delivery & { at: string })[] };
        for (const delivery of deliveries) {
          after = Math.max(after, delivery.seq);
          show({ ...delivery, at: new Date(delivery.at) });
        }
      } catch {
        if (!stopPolling.signal.aborted) await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  };

  const report = (result: CallbackResult) => {
    if (result.status !== 200)
      write(`${ANSI.yellow}回调返回 HTTP ${result.status}：${result.body}${ANSI.reset}`);
    if (result.reply?.content) write(`${ANSI.dim}督办助手（被动回复）${ANSI.reset}\n${result.reply.content}`);
    if (result.reply?.replaceName) write(`${ANSI.dim}按钮已变为：${result.reply.replaceName}${ANSI.reset}`);
  };

  const click = async (number: number) => {
    const button = buttons[number - 1];
    if (!button) return write('没有这个按钮编号。');
    const response = await fetch(`${apiBase}/sandbox/click`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userid, msgid: button.msgid, key: button.key }),
    });
    const clicked = (await response.json()) as {
      taskId?: string;
      cardType?: string;
      responseCode?: string;
      error?: string;
    };
    if (clicked.error || !clicked.responseCode) return write(`无法点击：${clicked.error ?? '未知错误'}`);
    report(
      await client.post(
        client.cardClickXml(userid, {
          eventKey: button.key,
          taskId: clicked.taskId ?? '',
          cardType: clicked.cardType ?? '',
          responseCode: clicked.responseCode,
        }),
      ),
    );
  };

  const sendFile = async (path: string, kind: 'file' | 'image') => {
    const data = await readFile(path);
    const name = basename(path);
    const uploaded = await fetch(`${apiBase}/sandbox/media?fileName=${encodeURIComponent(name)}`, {
      method: 'POST',
      body: data,
    });
    const { media_id: mediaId } = (await uploaded.json()) as { media_id: string };
    const xml = kind === 'file' ? client.fileXml(userid, mediaId, name) : client.imageXml(userid, mediaId);
    report(await client.post(xml));
  };

  const save = async (mediaId: string, path: string) => {
    const response = await fetch(`${apiBase}/sandbox/media?media_id=${encodeURIComponent(mediaId)}`);
    if (!response.ok) return write('找不到该文件。');
    await writeFile(path, Buffer.from(await response.arrayBuffer()));
    write(`已保存到 ${path}`);
  };

  write(
    `以 ${userid} 的身份与督办助手对话（${sandbox.callbackUrl}）。\n` +
      `直接输入文字发送；刚收到卡片时输入按钮编号即点击（或 #编号）；/file 路径 发送文件；/image 路径 发送图片；/link 网址 [标题] 转发链接；` +
      `/save media_id 路径 下载文件；/enter 模拟进入应用；/quit 退出。`,
  );
  const polling = poll();
  const rl = createInterface({ input: options.input, terminal: false });
  for await (const raw of rl) {
    const line = raw.trim();
    if (!line) continue;
    try {
      if (line === '/quit' || line === '/exit') break;
      const explicit = /^#(\d+)$/.exec(line);
      if (explicit || (lastWasCard && /^\d+$/.test(line))) await click(Number(explicit?.[1] ?? line));
      else if (line.startsWith('/file ')) await sendFile(line.slice(6).trim(), 'file');
      else if (line.startsWith('/image ')) await sendFile(line.slice(7).trim(), 'image');
      else if (line.startsWith('/link ')) {
        const [url, ...title] = line.slice(6).trim().split(/\s+/);
        report(await client.post(client.linkXml(userid, { url: url!, title: title.join(' ') })));
      } else if (line.startsWith('/save ')) {
        const [mediaId, path] = line.slice(6).trim().split(/\s+/);
        if (mediaId && path) await save(mediaId, path);
        else write('用法：/save media_id 路径');
      } else if (line === '/enter') report(await client.sendEvent(userid, 'enter_agent'));
      else report(await client.sendText(userid, raw));
    } catch (error) {
      write(
        `${ANSI.yellow}发送失败：${(error as Error).message}（机器人是否已用 npm start 启动？）${ANSI.reset}`,
      );
    }
  }
  // Let messages already on their way arrive, then stop the long-poll.
  await new Promise((resolve) => setTimeout(resolve, 300));
  stopPolling.abort();
  await polling;
}
