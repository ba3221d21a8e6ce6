// The streaming .docx reader (src/services/content/docx-text.ts) against mammoth, whose raw text it
// replaces: the same text for mammoth's own test documents, and the WordprocessingML cases one by
// one. mammoth stays a development dependency for this comparison and for reading exports back.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import { docxText, documentTarget } from '../src/services/content/docx-text.js';
import { extractDocx } from '../src/services/content/text-extract.js';
import { makeDocxBomb, makeDocxOf } from './support/docx.js';

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"';
const documentOf = (body: string, namespaces = W) =>
  `<?xml version="1.0" encoding="UTF-8"?><w:document ${namespaces}><w:body>${body}</w:body></w:document>`;
const textOf = async (data: Buffer) => {
  const result = await docxText(data);
  if (!result.ok) throw new Error('unreadable');
  return result.text;
};

const mammothDocs = join(
  dirname(createRequire(import.meta.url).resolve('mammoth/package.json')),
  'test',
  'test-data',
);
const samples = readdirSync(mammothDocs).filter((name) => name.endsWith('.docx'));

describe('the same text as mammoth', () => {
  it('has mammoth’s test documents to compare with', () => {
    expect(samples.length).toBeGreaterThan(10);
  });

  it.each(samples)('%s', async (name) => {
    const data = readFileSync(join(mammothDocs, name));
    const expected = (await mammoth.extractRawText({ buffer: data })).value;
    const text = await textOf(data);
    if (name === 'text-box.docx') {
      // mammoth lifts a text box's paragraphs out after the paragraph that anchors it; read in
      // document order they come inside it. The same text either way.
      expect(text.split('\n').sort()).toEqual(expected.split('\n').sort());
    } else expect(text).toBe(expected);
  });
});

describe('WordprocessingML, case by case', () => {
  it.each([
    ['a paragraph ends with a blank line', '<w:p><w:r><w:t>甲</w:t></w:r></w:p><w:p/>', '甲\n\n\n\n'],
    [
      'runs join',
      '<w:p><w:r><w:t>张</w:t></w:r><w:r><w:t xml:space="preserve">三 </w:t></w:r></w:p>',
      '张三 \n\n',
    ],
    [
      'tab and breaks inside runs',
      '<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:cr/></w:r></w:p>',
      'a\tb\nc\n\n\n',
    ],
    [
      'tab stops of the paragraph’s properties are not text',
      '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>x</w:t></w:r></w:p>',
      'x\n\n',
    ],
    [
      'deleted text and field codes are left out',
      '<w:p><w:del><w:r><w:delText>旧</w:delText></w:r></w:del><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:t>新</w:t></w:r></w:p>',
      '新\n\n',
    ],
    ['entities', '<w:p><w:r><w:t>&lt;&amp;&gt; &#x4E2D;</w:t></w:r></w:p>', '<&> 中\n\n'],
    [
      'a non-breaking hyphen',
      '<w:p><w:r><w:t>0533</w:t><w:noBreakHyphen/><w:t>1234567</w:t></w:r></w:p>',
      '0533-1234567\n\n',
    ],
    [
      'table cells are paragraphs',
      '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>姓名</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>电话</w:t></w:r></w:p></w:tc></w:tr></w:tbl>',
      '姓名\n\n电话\n\n',
    ],
    [
      'moved-away text is left out (only where it moved to is read)',
      '<w:p><w:moveFrom><w:r><w:t>13812345678</w:t></w:r></w:moveFrom><w:moveTo><w:r><w:t>13912345678</w:t></w:r></w:moveTo></w:p>',
      '13912345678\n\n',
    ],
    [
      'a deletion is left out even with w:t inside',
      '<w:p><w:del><w:r><w:t>旧</w:t></w:r></w:del><w:r><w:t>新</w:t></w:r></w:p>',
      '新\n\n',
    ],
    [
      'a symbol-font character',
      '<w:p><w:r><w:t>第</w:t><w:sym w:font="Symbol" w:char="F031"/><w:t>条</w:t></w:r></w:p>',
      '第1条\n\n',
    ],
    ['w:t outside a run', '<w:p><w:t>散落</w:t></w:p>', '散落\n\n'],
  ])('%s', async (_, body, expected) => {
    expect(await textOf(await makeDocxOf(documentOf(body)))).toBe(expected);
  });

  it('reads alternate content from its fallback only (no text twice)', async () => {
    const body =
      '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:t>新版</w:t></mc:Choice>' +
      '<mc:Fallback><w:t>旧版</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>';
    expect(await textOf(await makeDocxOf(documentOf(body, `${W} ${MC}`)))).toBe('旧版\n\n');
  });

  it('knows the namespaces by their names, whatever the prefix (Strict Open XML, other writers)', async () => {
    const xml =
      '<?xml version="1.0"?><x:document xmlns:x="http://purl.oclc.org/ooxml/wordprocessingml/main">' +
      '<x:body><x:p><x:r><x:t>严格格式</x:t></x:r></x:p></x:body></x:document>';
    expect(await textOf(await makeDocxOf(xml))).toBe('严格格式\n\n');
  });

  it('finds the main part through the root relationships', async () => {
    const data = await makeDocxOf(documentOf('<w:p><w:r><w:t>别处</w:t></w:r></w:p>'), 'word/document2.xml');
    expect(await textOf(data)).toBe('别处\n\n');
    expect(
      documentTarget(
        '<Relationships><Relationship Id="r1" Type="http://x/relationships/officeDocument" Target="/word/main.xml"/></Relationships>',
      ),
    ).toBe('word/main.xml');
  });

  it('refuses what is not a Word file', async () => {
    expect(await docxText(Buffer.from('not a zip'))).toEqual({ ok: false, problem: 'unreadable' });
    const JSZip = (await import('jszip')).default;
    const zip = new JSZip();
    zip.file('hello.txt', 'hi');
    expect(await docxText(await zip.generateAsync({ type: 'nodebuffer' }))).toEqual({
      ok: false,
      problem: 'unreadable',
    });
    // A part by the right name that holds no Word document (some other XML) is not an empty one.
    expect(await docxText(await makeDocxOf('<?xml version="1.0"?><root><t>13812345678</t></root>'))).toEqual({
      ok: false,
      problem: 'unreadable',
    });
  });

  it('reads the default namespace (names without a prefix)', async () => {
    const xml =
      '<?xml version="1.0"?><document xmlns="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
      '<body><p><r><t>13812345678</t></r></p></body></document>';
    expect(await textOf(await makeDocxOf(xml))).toBe('13812345678\n\n');
  });

  it('reads a main part saved as UTF-16 (little- and big-endian, with the byte order mark)', async () => {
    const xml = documentOf('<w:p><w:r><w:t>联系电话13812345678</w:t></w:r></w:p>').replace('UTF-8', 'UTF-16');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    for (const part of [le, be]) {
      expect(await textOf(await makeDocxOf(part))).toBe('联系电话13812345678\n\n');
    }
  });

  it('finds the main part however the relationship is written, and falls back to word/document.xml', async () => {
    expect(
      documentTarget(
        `<Relationships><Relationship Id='r1' Type='http://x/relationships/officeDocument' Target='./word/a.xml'/></Relationships>`,
      ),
    ).toBe('word/a.xml');
    const JSZip = (await import('jszip')).default;
    const zip = new JSZip();
    zip.file(
      '_rels/.rels',
      '<Relationships><Relationship Type="http://x/relationships/officeDocument" Target="word/missing.xml"/></Relationships>',
    );
    zip.file('word/document.xml', documentOf('<w:p><w:r><w:t>在这里</w:t></w:r></w:p>'));
    expect(await textOf(await zip.generateAsync({ type: 'nodebuffer' }))).toBe('在这里\n\n');
  });

  it('refuses a document nested past 1,000 elements (100,000 and as many stray closing tags took 12 s)', async () => {
    const body = `<w:p><w:r><w:t>x</w:t></w:r></w:p>${'<w:a>'.repeat(100_000)}${'</w:b>'.repeat(100_000)}`;
    const data = await makeDocxOf(documentOf(body));
    expect(await docxText(data)).toEqual({ ok: false, problem: 'nesting' });
    expect(await extractDocx(data)).toEqual({ ok: false, error: 'Word 文档结构嵌套过深，无法读取。' });
  });

  it('reads the issue’s stored bomb (200,000 paragraphs, 6.5 MB) whole, paragraph by paragraph', async () => {
    const text = await textOf(await makeDocxBomb(200_000, 'STORE'));
    expect(text.length).toBe(200_000 * 3);
    expect(text.startsWith('a\n\nb\n\nc\n\n')).toBe(true);
  });
});
