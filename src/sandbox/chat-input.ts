// What a line typed in the chat console means. Kept apart from the terminal so that the rules a
// tester relies on are table-tested: `#N` always clicks button N; a bare number clicks only a
// button of the card that arrived last, and only when nothing was shown or typed since it arrived
// (typing 1 to choose an option once clicked a stale card's button); everything else is text.

export type ConsoleCommand =
  | { kind: 'quit' }
  | { kind: 'paste' }
  | { kind: 'file'; path: string }
  | { kind: 'image'; path: string }
  | { kind: 'link'; url: string; title: string }
  | { kind: 'save'; mediaId: string; path: string }
  | { kind: 'enter' }
  | { kind: 'usage'; text: string };

export type LineAction =
  | { kind: 'none' }
  | { kind: 'click'; number: number }
  /** `olderButton`: the number is also a button of an older card (the console says how to click it). */
  | { kind: 'text'; text: string; olderButton?: number }
  | ConsoleCommand;

export interface LineContext {
  /** The button numbers of the card shown last, when nothing was shown or typed after it. */
  freshCardButtons: readonly number[];
  /** Every button number ever shown. */
  knownButtons: (number: number) => boolean;
}

/** The console's own commands (`/…`); undefined for anything else. */
export function consoleCommand(line: string): ConsoleCommand | undefined {
  const [word, ...rest] = line.trim().split(/\s+/);
  const arg = rest.join(' ');
  switch (word) {
    case '/quit':
    case '/exit':
      return { kind: 'quit' };
    case '/paste':
      return { kind: 'paste' };
    case '/enter':
      return { kind: 'enter' };
    case '/file':
    case '/image':
      return arg
        ? { kind: word.slice(1) as 'file' | 'image', path: arg }
        : { kind: 'usage', text: `用法：${word} 路径` };
    case '/link': {
      const [url, ...title] = rest;
      return url
        ? { kind: 'link', url, title: title.join(' ') }
        : { kind: 'usage', text: '用法：/link 网址 [标题]' };
    }
    case '/save': {
      const [mediaId, path] = rest;
      return mediaId && path
        ? { kind: 'save', mediaId, path }
        : { kind: 'usage', text: '用法：/save media_id 路径' };
    }
    default:
      return undefined;
  }
}

/** The meaning of one typed line (not in paste mode). `raw` is sent as typed, spaces and all. */
export function interpretLine(raw: string, context: LineContext): LineAction {
  const line = raw.trim();
  if (line === '') return { kind: 'none' };
  const explicit = /^#(\d{1,6})$/.exec(line);
  if (explicit) return { kind: 'click', number: Number(explicit[1]) };
  if (/^\d{1,6}$/.test(line)) {
    const number = Number(line);
    if (context.freshCardButtons.includes(number)) return { kind: 'click', number };
    return context.knownButtons(number)
      ? { kind: 'text', text: raw, olderButton: number }
      : { kind: 'text', text: raw };
  }
  return consoleCommand(line) ?? { kind: 'text', text: raw };
}

/** Collects the lines of a multi-line message: `/paste` … a line with only `.`. */
export class PasteBuffer {
  private lines: string[] = [];

  add(line: string): void {
    this.lines.push(line);
  }

  get size(): number {
    return this.lines.length;
  }

  /** The message, lines joined as typed (trailing blank lines dropped); empties the buffer. */
  take(): string {
    const text = this.lines.join('\n').replace(/\n+$/, '');
    this.lines = [];
    return text;
  }
}
