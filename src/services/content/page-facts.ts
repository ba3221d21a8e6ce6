// What repost checks need from an HTML page, read in the content worker with a streaming parser (no
// DOM is built, so a huge or deeply nested page costs only its length): the title, the title-like
// metadata (og:title, ArticleTitle, a WeChat article's msg_title), the headings, the publisher
// (来源, ContentSource), a WeChat account's name, and every link with its text (the list pages
// discovery reads). Everything is capped: a hostile page cannot return more than a few hundred KB.
import { Parser } from 'htmlparser2';

export interface PageLink {
  href: string;
  text: string;
}

export interface PageFacts {
  title: string;
  /** og:title, ArticleTitle, WeChat's msg_title: titles the page declares besides <title>. */
  metaTitles: string[];
  /** h1–h3 texts, in order. */
  headings: string[];
  /** 发布机构 as the page gives it (meta ContentSource/author, or 来源：… in the text). */
  publisher: string | null;
  /** A WeChat article's account name (nickname, profile_nickname). */
  accountName: string | null;
  links: PageLink[];
}

const MAX_TEXT = 200;
const MAX_HEADINGS = 50;
const MAX_LINKS = 2000;
const MAX_BODY_TEXT = 20_000;

const squashSpace = (value: string): string => value.replace(/\s+/g, ' ').trim();
const cut = (value: string): string => [...squashSpace(value)].slice(0, MAX_TEXT).join('');

const TITLE_METAS = new Set(['og:title', 'articletitle', 'title', 'twitter:title']);
const PUBLISHER_METAS = new Set(['contentsource', 'source', 'author', 'publisher', 'og:site_name']);

export function pageFacts(html: string): PageFacts {
  const facts: PageFacts = {
    title: '',
    metaTitles: [],
    headings: [],
    publisher: null,
    accountName: null,
    links: [],
  };
  let metaPublisher: string | null = null;
  let inTitle = false;
  let titleText = '';
  let heading: string | null = null;
  let link: { href: string; text: string } | null = null;
  let nicknameDepth = 0;
  let nickname = '';
  let inScript = false;
  let script = '';
  let bodyText = '';
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'title') inTitle = true;
        else if (name === 'h1' || name === 'h2' || name === 'h3') heading = '';
        else if (name === 'a' && attributes.href && facts.links.length < MAX_LINKS)
          link = { href: attributes.href.slice(0, 1000), text: '' };
        else if (name === 'meta') {
          const key = (attributes.name ?? attributes.property ?? '').toLowerCase();
          const content = attributes.content ?? '';
          if (!content.trim()) return;
          if (TITLE_METAS.has(key) && facts.metaTitles.length < 5) facts.metaTitles.push(cut(content));
          if (PUBLISHER_METAS.has(key) && !metaPublisher) metaPublisher = cut(content);
        } else if (name === 'script') {
          inScript = true;
          script = '';
        }
        if (
          (attributes.class ?? '').split(/\s+/).includes('profile_nickname') ||
          attributes.id === 'js_name'
        ) {
          nicknameDepth = 1;
          nickname = '';
        } else if (nicknameDepth > 0) nicknameDepth++;
      },
      ontext(text) {
        if (inScript) {
          if (script.length < 200_000) script += text;
          return;
        }
        if (inTitle && titleText.length < 1000) titleText += text;
        if (heading !== null && heading.length < 1000) heading += text;
        if (link && link.text.length < 1000) link.text += text;
        if (nicknameDepth > 0 && nickname.length < 200) nickname += text;
        if (bodyText.length < MAX_BODY_TEXT) bodyText += text;
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
        else if ((name === 'h1' || name === 'h2' || name === 'h3') && heading !== null) {
          if (squashSpace(heading) && facts.headings.length < MAX_HEADINGS) facts.headings.push(cut(heading));
          heading = null;
        } else if (name === 'a' && link) {
          facts.links.push({ href: link.href, text: cut(link.text) });
          link = null;
        } else if (name === 'script') {
          inScript = false;
          readWeChatScript(script, facts);
        }
        if (nicknameDepth > 0) {
          nicknameDepth--;
          if (nicknameDepth === 0 && squashSpace(nickname) && !facts.accountName)
            facts.accountName = cut(nickname);
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  facts.title = cut(titleText);
  facts.publisher = metaPublisher ?? sourceInText(bodyText);
  return facts;
}

/** `来源：国务院办公厅`, `信息来源: 省政府办公厅` in the page's text. */
function sourceInText(text: string): string | null {
  const match = /(?:信息来源|文章来源|来源|发布机构)\s*[:：]\s*([^\s|｜/【】[\]]{2,30})/u.exec(text);
  return match ? match[1]! : null;
}

/** WeChat articles set their title and account name in script: `var msg_title = '…'`. */
function readWeChatScript(script: string, facts: PageFacts): void {
  if (!script.includes('msg_title') && !script.includes('nickname')) return;
  const value = (name: string): string | null => {
    const match = new RegExp(`var\\s+${name}\\s*=\\s*(?:htmlDecode\\()?["']([^"']{1,300})["']`).exec(script);
    return match ? cut(match[1]!) : null;
  };
  const title = value('msg_title');
  if (title && facts.metaTitles.length < 5) facts.metaTitles.push(title);
  const nickname = value('nickname');
  if (nickname && !facts.accountName) facts.accountName = nickname;
}
