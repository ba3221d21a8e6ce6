// `npx duban chat --as <userid>`: talk to the bot as a member, through real encrypted callbacks.
// What the bot sends back arrives two ways, as in WeCom: in the HTTP response (passive reply) and
// through the (fake) WeCom API, which this console long-polls, card updates included.
//
// In a terminal the console edits lines itself (raw mode), so a long line is never cut at the
// kernel's 4095-byte line limit; pasted text arrives whole (bracketed paste) and is sent as one
// message; `/paste` … `.` does the same where the terminal cannot. `/quit`, Ctrl-D and Ctrl-C end it.
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { clearLine, createInterface, cursorTo, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { TemplateCard } from '../messages/outbound.js';
import { systemClock, type Clock } from '../clock.js';
import { WeComCallbackClient, type CallbackResult } from './callback-client.js';
import { palette, renderCard, renderMarkdown, shanghaiClock, type CardState } from './card-view.js';
import { interpretLine, PasteBuffer, type LineAction } from './chat-input.js';
import type { Delivery } from './fake-wecom.js';
import type { SandboxFile } from './sandbox.js';

export { renderCard, renderMarkdown } from './card-view.js';

interface Button {
  msgid: string;
  key: string;
  /** False once the card was updated (greyed or replaced). */
  clickable: boolean;
}

interface ShownCard {
  card: TemplateCard;
  /** The update last shown, so that a later poll shows a change once. */
  shownUpdate: number;
}

export interface ChatConsoleOptions {
  userid: string;
  sandbox: SandboxFile;
  input: Readable;
  output: Writable;
  colour?: boolean;
  /** Line editing, prompt and bracketed paste; by default when the input is a terminal. */
  terminal?: boolean;
  clock?: Clock;
}

const CLICK_ERRORS: Record<string, string> = {
  'this card has been updated and is no longer clickable': '该卡片已更新，按钮不能再点击。',
  'no such card for this member': '找不到这张卡片。',
  'no such button': '卡片上没有这个按钮。',
};

const BRACKETED_PASTE_ON = '\x1b[?2004h';
const BRACKETED_PASTE_OFF = '\x1b[?2004l';

export async function runChatConsole(options: ChatConsoleOptions): Promise<void> {
  const { sandbox, userid, output } = options;
  if (!sandbox.callbackUrl || !sandbox.apiBase) throw new Error('沙箱信息不完整：请先运行 npm start');
  const clock = options.clock ?? systemClock;
  const terminal = options.terminal ?? Boolean((options.input as { isTTY?: boolean }).isTTY);
  const c = palette(options.colour ?? false);
  const client = new WeComCallbackClient({ ...sandbox.credentials, url: sandbox.callbackUrl, clock });
  const apiBase = sandbox.apiBase;

  const buttons = new Map<number, Button>();
  const cards = new Map<string, ShownCard>();
  let nextNumber = 1;
  /** Buttons of the card shown last, while nothing else was shown or typed after it. */
  let freshCard: number[] = [];
  let after = 0;
  let closed = false;
  const stopPolling = new AbortController();

  const rl: Interface = createInterface({
    input: options.input,
    output: terminal ? output : undefined,
    terminal,
    prompt: `${userid}> `,
  });

  /** Writes above the line being typed, then redraws the prompt and what was typed so far. */
  const print = (text: string) => {
    if (terminal && !closed) {
      clearLine(output, 0);
      cursorTo(output, 0);
    }
    output.write(`${text}\n`);
    if (terminal && !closed) rl.prompt(true);
  };
  const header = (at: Date, what = '督办助手') =>
    `${c.dim}[${shanghaiClock(at, clock.now())}] ${what}${c.reset}`;

  const showCard = (delivery: Delivery, card: TemplateCard, history: boolean) => {
    const seen = cards.get(delivery.msgid);
    const state: CardState = {
      replaceName: delivery.replaceName,
      replacedBy: delivery.replacedCard as TemplateCard | undefined,
    };
    const updated = Boolean(state.replaceName || state.replacedBy);
    if (seen) {
      if (!updated || seen.shownUpdate === delivery.updatedSeq) return;
      seen.shownUpdate = delivery.updatedSeq ?? 0;
      for (const button of buttons.values()) if (button.msgid === delivery.msgid) button.clickable = false;
      print(
        `${header(clock.now(), '卡片已更新')}\n${renderCard(seen.card, { state, colour: options.colour })}`,
      );
      freshCard = [];
      return;
    }
    const firstNumber = nextNumber;
    for (const button of card.button_list ?? []) {
      buttons.set(nextNumber++, { msgid: delivery.msgid, key: button.key, clickable: !updated });
    }
    cards.set(delivery.msgid, { card, shownUpdate: delivery.updatedSeq ?? 0 });
    const clickable = !updated;
    print(
      `${header(delivery.at)}\n${renderCard(card, { firstNumber: clickable ? firstNumber : undefined, state, colour: options.colour })}`,
    );
    const numbers = clickable ? (card.button_list ?? []).map((_, i) => firstNumber + i) : [];
    // A bare number clicks this card only right after it arrived, and only if nothing was being
    // typed then (that number was meant for what came before).
    if (!history && numbers.length > 0 && rl.line === '') {
      print(`${c.dim}（输入 ${numbers.join(' 或 ')} 点击；之后请输入 #编号）${c.reset}`);
      freshCard = numbers;
    } else freshCard = [];
  };

  const show = (delivery: Delivery, history = false) => {
    const body = delivery.body[delivery.msgtype] as Record<string, unknown>;
    if (delivery.msgtype === 'template_card')
      return showCard(delivery, body as unknown as TemplateCard, history);
    freshCard = [];
    const head = header(delivery.at);
    if (delivery.msgtype === 'markdown')
      print(`${head}\n${renderMarkdown(String(body.content), options.colour)}`);
    else if (delivery.msgtype === 'text') print(`${head}\n${String(body.content)}`);
    else if (delivery.msgtype === 'file')
      print(
        `${head}\n[文件] media_id=${String(body.media_id)}（/save ${String(body.media_id)} <路径> 可下载）`,
      );
    else print(`${head}\n[${delivery.msgtype}]`);
  };

  const fetchInbox = async (wait: number) => {
    const response = await fetch(
      `${apiBase}/sandbox/inbox?userid=${encodeURIComponent(userid)}&after=${after}&wait=${wait}`,
      { signal: stopPolling.signal },
    );
    const { deliveries } = (await response.json()) as { deliveries: (Delivery & { at: string })[] };
    return deliveries.map((delivery) => ({ ...delivery, at: new Date(delivery.at) }));
  };
  const take = (deliveries: Delivery[], history: boolean) => {
    for (const delivery of deliveries) {
      after = Math.max(after, delivery.seq, delivery.updatedSeq ?? 0);
      show(delivery, history);
    }
  };

  const poll = async () => {
    while (!stopPolling.signal.aborted) {
      try {
        take(await fetchInbox(20_000), false);
      } catch {
        if (!stopPolling.signal.aborted) await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  };

  const report = async (result: CallbackResult, clicked?: Button) => {
    if (result.status !== 200) print(`${c.yellow}回调返回 HTTP ${result.status}：${result.body}${c.reset}`);
    if (result.reply?.content) {
      freshCard = [];
      print(`${header(clock.now(), '督办助手（被动回复）')}\n${result.reply.content}`);
    }
    if (result.reply?.replaceName && clicked) {
      // WeCom greys the clicked card when it gets this reply; the fake does it when told.
      await fetch(`${apiBase}/sandbox/passive-update`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userid, msgid: clicked.msgid, replaceName: result.reply.replaceName }),
      });
    }
  };

  const click = async (number: number) => {
    const button = buttons.get(number);
    if (!button) return print('没有这个按钮编号。');
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
    if (clicked.error || !clicked.responseCode) {
      return print(`无法点击：${CLICK_ERRORS[clicked.error ?? ''] ?? clicked.error ?? '未知错误'}`);
    }
    const xml = client.cardClickXml(userid, {
      eventKey: button.key,
      taskId: clicked.taskId ?? '',
      cardType: clicked.cardType ?? '',
      responseCode: clicked.responseCode,
    });
    await report(await client.post(xml), button);
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
    await report(await client.post(xml));
  };

  const save = async (mediaId: string, path: string) => {
    const response = await fetch(`${apiBase}/sandbox/media?media_id=${encodeURIComponent(mediaId)}`);
    if (!response.ok) return print('找不到该文件。');
    await writeFile(path, Buffer.from(await response.arrayBuffer()));
    print(`已保存到 ${path}`);
  };

  const perform = async (action: LineAction) => {
    switch (action.kind) {
      case 'none':
        return;
      case 'click':
        return click(action.number);
      case 'text':
        await report(await client.sendText(userid, action.text));
        if (action.olderButton !== undefined) {
          print(
            `${c.dim}（已作为文字发送；要点击较早卡片上的按钮，请输入 #${action.olderButton}）${c.reset}`,
          );
        }
        return;
      case 'file':
      case 'image':
        return sendFile(action.path, action.kind);
      case 'link':
        return report(await client.post(client.linkXml(userid, { url: action.url, title: action.title })));
      case 'save':
        return save(action.mediaId, action.path);
      case 'enter':
        return report(await client.sendEvent(userid, 'enter_agent'));
      case 'usage':
        return print(action.text);
      case 'paste':
      case 'quit':
        return;
    }
  };

  // Lines are interpreted the moment they are entered (what was on screen then is what counts) and
  // performed one after another.
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (action: LineAction) => {
    queue = queue.then(async () => {
      try {
        await perform(action);
      } catch (error) {
        print(
          `${c.yellow}发送失败：${(error as Error).message}（机器人是否已用 npm start 启动？）${c.reset}`,
        );
      }
    });
  };

  const pasteMode = new PasteBuffer();
  let inPasteMode = false;
  const bracketed = new PasteBuffer();
  let pasting = false;

  rl.on('line', (raw) => {
    if (inPasteMode) {
      if (raw.trim() !== '.') return pasteMode.add(raw);
      inPasteMode = false;
      rl.setPrompt(`${userid}> `);
      const text = pasteMode.take();
      if (text.trim()) enqueue({ kind: 'text', text });
      else print('粘贴内容为空，未发送。');
      return;
    }
    // Inside a bracketed paste every line belongs to one message, sent with the Enter after it.
    if (pasting) return bracketed.add(raw);
    if (bracketed.size > 0) {
      bracketed.add(raw);
      const text = bracketed.take();
      if (text.trim()) enqueue({ kind: 'text', text });
      return;
    }
    const action = interpretLine(raw, {
      freshCardButtons: freshCard,
      knownButtons: (number) => buttons.get(number)?.clickable ?? false,
    });
    freshCard = [];
    if (action.kind === 'quit') return rl.close();
    if (action.kind === 'paste') {
      inPasteMode = true;
      print(`${c.dim}粘贴模式：粘贴或输入多行文字，单独一行输入 . 结束并发送。${c.reset}`);
      rl.setPrompt('… ');
      if (terminal && !closed) rl.prompt();
      return;
    }
    enqueue(action);
    if (terminal && !closed) rl.prompt();
  });
  if (terminal) {
    options.input.on('keypress', (_text: string, key: { name?: string } | undefined) => {
      if (key?.name === 'paste-start') pasting = true;
      else if (key?.name === 'paste-end') pasting = false;
    });
  }
  const ended = new Promise<void>((resolve) =>
    rl.once('close', () => {
      // From here on nothing may touch the closed interface (prompts, redraws).
      closed = true;
      resolve();
    }),
  );

  if (terminal) output.write(BRACKETED_PASTE_ON);
  print(
    `以 ${userid} 的身份与督办助手对话（${sandbox.callbackUrl}），时间为北京时间。\n` +
      '直接输入文字发送；卡片刚到时输入按钮编号即点击，任何时候 #编号 点击；/paste 发送多行文字（单独一行 . 结束）；' +
      '/file 路径 发送文件；/image 路径 发送图片；/link 网址 [标题] 转发链接；/save media_id 路径 下载文件；' +
      '/enter 模拟进入应用；/quit 或 Ctrl-D 退出。',
  );
  let polling: Promise<void> = Promise.resolve();
  try {
    try {
      const history = await fetchInbox(0);
      if (history.length) print(`${c.dim}—— 之前收到的消息 ——${c.reset}`);
      take(history, true);
      if ([...buttons.values()].some((button) => button.clickable)) {
        print(`${c.dim}（点击之前卡片上的按钮请输入 #编号）${c.reset}`);
      }
    } catch {
      print(`${c.yellow}连不上模拟企业微信（${apiBase}）：机器人是否已用 npm start 启动？${c.reset}`);
    }
    polling = poll();
    await ended;
    const unsent = pasteMode.size + bracketed.size;
    if (unsent) output.write(`未发送的多行内容已放弃（${unsent} 行）。\n`);
    await queue;
    // Let messages already on their way arrive before the long-poll stops.
    await new Promise((resolve) => setTimeout(resolve, 300));
  } finally {
    rl.close();
    stopPolling.abort();
    await polling;
    if (terminal) output.write(`${BRACKETED_PASTE_OFF}\n`);
  }
}
