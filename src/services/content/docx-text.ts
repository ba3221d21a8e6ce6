// The text of a .docx, read as a stream: the main document part is inflated chunk by chunk (yauzl)
// straight into an XML tokenizer (htmlparser2), and only the text is kept. mammoth builds the whole
// document model first: 200,000 short paragraphs (6.5 MB of XML) took it past a 128 MB heap, where
// this needs a few MB beyond the text itself. The output is mammoth's raw text: every paragraph
// followed by a blank line, tabs and line breaks inside runs kept, deleted and moved-away text and
// field codes left out, alternate content read from its fallback (what older readers show, as
// mammoth does).
import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { Parser } from 'htmlparser2';
import yauzl from 'yauzl';

const WORDPROCESSING = new Set([
  'http://schemas.openxmlformats.org/wordprocessingml/2006/main',
  // Strict Open XML (Word's "Strict" save option).
  'http://purl.oclc.org/ooxml/wordprocessingml/main',
]);
const MARKUP_COMPATIBILITY = 'http://schemas.openxmlformats.org/markup-compatibility/2006';
const OFFICE_DOCUMENT_TYPE = /\/officeDocument$/;
const DEFAULT_PART = 'word/document.xml';
/** The package's root relationships are a few hundred bytes; more is not a Word file. */
const MAX_RELS_BYTES = 64 * 1024;
/**
 * Elements open at once past which a document is refused. Word nests a few dozen deep (tables in
 * tables); the tokenizer searches its open-element stack for every closing tag that matches none,
 * so 100,000 open elements and as many stray closing tags (a 1.8 KB file) took 12 s.
 */
export const MAX_DOCX_DEPTH = 1000;

/** Word's containers whose text is not the document's current text. */
const SKIPPED_WORD = new Set(['del', 'moveFrom']);

export type DocxTextResult = { ok: true; text: string } | { ok: false; problem: 'unreadable' | 'nesting' };

export async function docxText(data: Buffer): Promise<DocxTextResult> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(data, { lazyEntries: true, validateEntrySizes: true });
  } catch {
    return { ok: false, problem: 'unreadable' };
  }
  try {
    const entries = await listEntries(zip);
    const rels = entries.get('_rels/.rels');
    const target = rels ? documentTarget(await readSmall(zip, rels)) : undefined;
    const part = (target && entries.get(target)) || entries.get(DEFAULT_PART);
    if (!part) return { ok: false, problem: 'unreadable' };
    return await paragraphsText(await zip.openReadStreamPromise(part));
  } catch {
    return { ok: false, problem: 'unreadable' };
  } finally {
    zip.close();
  }
}

/** The document part named by the package's root relationships, as a path inside the zip. */
export function documentTarget(relsXml: string): string | undefined {
  for (const match of relsXml.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
    const type = /\bType\s*=\s*(["'])(.*?)\1/.exec(match[0])?.[2];
    const target = /\bTarget\s*=\s*(["'])(.*?)\1/.exec(match[0])?.[2];
    if (type && target && OFFICE_DOCUMENT_TYPE.test(type)) return target.replace(/^(\.?\/)+/, '');
  }
  return undefined;
}

/** The prefixes a part binds to a namespace; '' is the default namespace (names without a prefix). */
class Namespaces {
  readonly word = new Set<string>(['w']);
  readonly compatibility = new Set<string>(['mc']);

  declare(attributes: Record<string, string>): void {
    for (const [attribute, value] of Object.entries(attributes)) {
      const prefix =
        attribute === 'xmlns' ? '' : attribute.startsWith('xmlns:') ? attribute.slice(6) : undefined;
      if (prefix === undefined) continue;
      if (WORDPROCESSING.has(value)) this.word.add(prefix);
      if (value === MARKUP_COMPATIBILITY) this.compatibility.add(prefix);
    }
  }

  /** The local name of `name` when it is in one of `of`'s prefixes, else undefined. */
  local(name: string, of: Set<string>): string | undefined {
    const colon = name.indexOf(':');
    const prefix = colon < 0 ? '' : name.slice(0, colon);
    return of.has(prefix) ? name.slice(colon + 1) : undefined;
  }
}

/** A symbol-font character (w:sym w:char="F031") as the character it stands for in the ASCII range. */
function symbolText(code: string | undefined): string {
  const value = Number.parseInt(code ?? '', 16);
  if (!Number.isFinite(value)) return '';
  const plain = value >= 0xf020 && value <= 0xf07e ? value - 0xf000 : value;
  return plain >= 0x20 && plain <= 0xfffd ? String.fromCharCode(plain) : '';
}

/** mammoth's raw text of a WordprocessingML stream, or why there is none. */
function paragraphsText(stream: Readable): Promise<DocxTextResult> {
  const parts: string[] = [];
  const namespaces = new Namespaces();
  let depth = 0;
  let tooDeep = false;
  let sawDocument = false;
  let runDepth = 0;
  let inText = false;
  // Inside <mc:Choice>, <w:del> or <w:moveFrom>: skipped, with their nesting.
  let skipDepth = 0;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (tooDeep) return;
        if (++depth > MAX_DOCX_DEPTH) {
          tooDeep = true;
          return;
        }
        namespaces.declare(attributes);
        const word = namespaces.local(name, namespaces.word);
        if (
          skipDepth > 0 ||
          namespaces.local(name, namespaces.compatibility) === 'Choice' ||
          (word !== undefined && SKIPPED_WORD.has(word))
        ) {
          skipDepth++;
          return;
        }
        switch (word) {
          case 'document':
            sawDocument = true;
            break;
          case 'r':
            runDepth++;
            break;
          case 't':
            inText = true;
            break;
          case 'tab':
            if (runDepth > 0) parts.push('\t');
            break;
          case 'br':
          case 'cr':
            if (runDepth > 0) parts.push('\n');
            break;
          case 'noBreakHyphen':
            if (runDepth > 0) parts.push('-');
            break;
          case 'sym':
            if (runDepth > 0) parts.push(symbolText(attributes['w:char'] ?? attributes.char));
            break;
        }
      },
      ontext(text) {
        if (inText && skipDepth === 0 && !tooDeep) parts.push(text);
      },
      onclosetag(name) {
        if (tooDeep) return;
        depth = Math.max(0, depth - 1);
        if (skipDepth > 0) {
          skipDepth--;
          return;
        }
        switch (namespaces.local(name, namespaces.word)) {
          case 'r':
            runDepth = Math.max(0, runDepth - 1);
            break;
          case 't':
            inText = false;
            break;
          case 'p':
            parts.push('\n\n');
            break;
        }
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  let decoder: TextDecoder | undefined;
  return new Promise<DocxTextResult>((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => {
      if (tooDeep) return;
      // The XML declaration's encoding is UTF-8 or UTF-16, told apart by the byte order mark.
      decoder ??= new TextDecoder(encodingOf(chunk));
      parser.write(decoder.decode(chunk, { stream: true }));
      if (tooDeep) {
        stream.destroy();
        resolve({ ok: false, problem: 'nesting' });
      }
    });
    stream.on('end', () => {
      parser.end(decoder?.decode() ?? '');
      if (tooDeep) resolve({ ok: false, problem: 'nesting' });
      // No WordprocessingML document element: some other XML (or another encoding) under the name.
      else if (!sawDocument) resolve({ ok: false, problem: 'unreadable' });
      else resolve({ ok: true, text: parts.join('') });
    });
    stream.on('error', reject);
  });
}

function encodingOf(start: Buffer): 'utf-8' | 'utf-16le' | 'utf-16be' {
  if (start[0] === 0xff && start[1] === 0xfe) return 'utf-16le';
  if (start[0] === 0xfe && start[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

function listEntries(zip: yauzl.ZipFile): Promise<Map<string, yauzl.Entry>> {
  const entries = new Map<string, yauzl.Entry>();
  return new Promise((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', reject);
    zip.readEntry();
  });
}

async function readSmall(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<string> {
  if (entry.uncompressedSize > MAX_RELS_BYTES) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
