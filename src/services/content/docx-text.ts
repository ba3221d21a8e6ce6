// The text of a .docx, read as a stream: the main document part is inflated chunk by chunk (yauzl)
// straight into an XML tokenizer (htmlparser2), and only the text is kept. mammoth builds the whole
// document model first: 200,000 short paragraphs (6.5 MB of XML) took it past a 128 MB heap, where
// this needs a few MB beyond the text itself. The output is mammoth's raw text: every paragraph
// followed by a blank line, tabs and line breaks inside runs kept, deleted text and field codes left
// out, alternate content read from its fallback (what older readers show, as mammoth does).
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { Parser } from 'htmlparser2';
import yauzl from 'yauzl';

const WORDPROCESSING = new Set([
  'http://schemas.openxmlformats.org/wordprocessingml/2006/main',
  // Strict Open XML (Word's "Strict" save option).
  'http://purl.oclc.org/ooxml/wordprocessingml/main',
]);
const MARKUP_COMPATIBILITY = 'http://schemas.openxmlformats.org/markup-compatibility/2006';
const OFFICE_DOCUMENT_TYPE = /\/officeDocument$/;
/** The package's root relationships are a few hundred bytes; more is not a Word file. */
const MAX_RELS_BYTES = 64 * 1024;

export type DocxTextResult = { ok: true; text: string } | { ok: false };

export async function docxText(data: Buffer): Promise<DocxTextResult> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(data, { lazyEntries: true, validateEntrySizes: true });
  } catch {
    return { ok: false };
  }
  try {
    const entries = await listEntries(zip);
    const rels = entries.get('_rels/.rels');
    const target = rels ? documentTarget(await readSmall(zip, rels)) : undefined;
    const part = entries.get(target ?? 'word/document.xml');
    if (!part) return { ok: false };
    return { ok: true, text: await paragraphsText(await zip.openReadStreamPromise(part)) };
  } catch {
    return { ok: false };
  } finally {
    zip.close();
  }
}

/** The document part named by the package's root relationships, without a leading '/'. */
export function documentTarget(relsXml: string): string | undefined {
  for (const match of relsXml.matchAll(/<Relationship\b[^>]*>/g)) {
    const type = /\bType="([^"]*)"/.exec(match[0])?.[1];
    const target = /\bTarget="([^"]*)"/.exec(match[0])?.[1];
    if (type && target && OFFICE_DOCUMENT_TYPE.test(type)) return target.replace(/^\//, '');
  }
  return undefined;
}

/** mammoth's raw text of a WordprocessingML stream. */
function paragraphsText(stream: Readable): Promise<string> {
  const parts: string[] = [];
  const prefixes = { word: new Set<string>(['w']), compatibility: new Set<string>(['mc']) };
  let runDepth = 0;
  let inText = false;
  // Inside <mc:Choice>: what newer readers show instead of the fallback; skipped, with its nesting.
  let skipDepth = 0;
  const local = (name: string, of: Set<string>): string | undefined => {
    const colon = name.indexOf(':');
    return colon > 0 && of.has(name.slice(0, colon)) ? name.slice(colon + 1) : undefined;
  };
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        for (const [attribute, value] of Object.entries(attributes)) {
          if (!attribute.startsWith('xmlns:')) continue;
          if (WORDPROCESSING.has(value)) prefixes.word.add(attribute.slice(6));
          if (value === MARKUP_COMPATIBILITY) prefixes.compatibility.add(attribute.slice(6));
        }
        if (skipDepth > 0 || local(name, prefixes.compatibility) === 'Choice') {
          skipDepth++;
          return;
        }
        switch (local(name, prefixes.word)) {
          case 'r':
            runDepth++;
            break;
          case 't':
            inText = runDepth > 0;
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
        }
      },
      ontext(text) {
        if (inText && skipDepth === 0) parts.push(text);
      },
      onclosetag(name) {
        if (skipDepth > 0) {
          skipDepth--;
          return;
        }
        switch (local(name, prefixes.word)) {
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
  const decoder = new StringDecoder('utf8');
  return new Promise<string>((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => parser.write(decoder.write(chunk)));
    stream.on('end', () => {
      parser.end(decoder.end());
      resolve(parts.join(''));
    });
    stream.on('error', reject);
  });
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
