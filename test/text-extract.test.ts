import { describe, expect, it } from 'vitest';
import {
  decodeText,
  extractText,
  isSupportedFile,
  nestingDepth,
} from '../src/services/content/text-extract.js';
import { readableHtmlText } from '../src/services/content/html-text.js';
import { makeDocx } from './support/docx.js';

const SAMPLE = '关于2023年第一季度政府网站普查情况的通报，联系电话13812345678。';

/** GB18030 bytes of a sample, written out so the test does not depend on an encoder. */
const GBK_NI_HAO = Buffer.from([0xc4, 0xe3, 0xba, 0xc3]); // 你好
const GBK_TONG_BAO = Buffer.from([0xcd, 0xa8, 0xb1, 0xa8]); // 通报
const GBK_COMMA = Buffer.from([0xa3, 0xac]); // ，

describe('decodeText / .txt', () => {
  it.each([
    ['UTF-8', Buffer.from(SAMPLE, 'utf8'), SAMPLE],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE, 'utf8')]), SAMPLE],
    ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SAMPLE, 'utf16le')]), SAMPLE],
    [
      'UTF-16BE with BOM',
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(SAMPLE, 'utf16le').swap16()]),
      SAMPLE,
    ],
    ['GB18030 / GBK', Buffer.concat([GBK_NI_HAO, GBK_COMMA, GBK_TONG_BAO]), '你好，通报'],
    [
      'GBK mixed with ASCII digits',
      Buffer.concat([GBK_TONG_BAO, Buffer.from(' 13812345678')]),
      '通报 13812345678',
    ],
    ['empty', Buffer.alloc(0), ''],
  ])('%s', async (_name, data, expected) => {
    expect(decodeText(data)).toBe(expected);
    expect(await extractText('稿件.txt', data)).toEqual({ ok: true, text: expected });
  });

  it('treats the extension case-insensitively', async () => {
    expect(await extractText('A.TXT', Buffer.from('x'))).toEqual({ ok: true, text: 'x' });
  });
});

describe('.docx', () => {
  it('extracts paragraphs as lines', async () => {
    const docx = await makeDocx(['淄博市人民政府办公室', SAMPLE, '特殊字符 <&>']);
    const result = await extractText('通报.docx', docx);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.text.split('\n').filter((l) => l !== '')).toEqual([
      '淄博市人民政府办公室',
      SAMPLE,
      '特殊字符 <&>',
    ]);
  });

  it('reports a broken file in Chinese', async () => {
    expect(await extractText('坏文件.docx', Buffer.from('not a zip'))).toEqual({
      ok: false,
      error: '无法读取该 Word 文档：文件可能已损坏，或并不是 .docx 格式。',
    });
  });
});

describe('.html', () => {
  const html =
    '<html><head><title>标题</title><style>p{color:red}</style></head><body>' +
    '<h1>Notice 通报</h1><p>联系人：<a href="mailto:zhangsan@qq.com">张三</a></p>' +
    '<table><tr><th>姓名</th><th>电话</th></tr><tr><td>李四</td><td>13812345678</td></tr></table>' +
    '<p>' +
    '很长的一段文字'.repeat(40) +
    '</p><img src="x.png" alt="图片"></body></html>';

  it.each([['页面.html'], ['页面.htm'], ['index.shtml']])(
    '%s: text without wrapping or upper-casing',
    async (name) => {
      const result = await extractText(name, Buffer.from(html));
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.text).toContain('Notice 通报');
      expect(result.text).toContain('联系人：张三 [zhangsan@qq.com]');
      expect(result.text).toContain('很长的一段文字'.repeat(40));
      expect(result.text).not.toContain('color:red');
      expect(result.text).not.toContain('x.png');
    },
  );

  it('keeps table cells apart so numbers are not glued to neighbours', async () => {
    const result = await extractText('表格.html', Buffer.from(html));
    expect(result.ok && result.text).toMatch(/李四\s+13812345678/);
  });

  it('decodes a GBK page', async () => {
    const page = Buffer.concat([Buffer.from('<p>'), GBK_NI_HAO, Buffer.from('</p>')]);
    expect(await extractText('旧页面.htm', page)).toEqual({ ok: true, text: '你好' });
  });
});

describe('.html, read in one pass (html-text.ts)', () => {
  const text = (html: string) => readableHtmlText(html);

  it.each([
    [
      'cells apart, rows on lines',
      '<table><tr><th>姓名</th><th>电话</th></tr><tr><td>张三</td><td>13812345678</td></tr></table>',
      '姓名\t电话\n张三\t13812345678',
    ],
    [
      'the title read, scripts and styles not',
      '<head><title>标题</title><style>p{}</style></head><body><script>var a = "13812345678";</script><p>正文</p></body>',
      '标题\n\n正文',
    ],
    [
      'a head left open (HTML5 allows leaving out </head> and <body>) hides nothing',
      '<!DOCTYPE html><html><head><meta charset="utf-8"><title>通报</title><p>联系电话13812345678</p></html>',
      '通报\n\n联系电话13812345678',
    ],
    [
      'text in elements a browser may show is read (object fallback, noscript, svg, template)',
      '<div>公示</div><object data="a.swf"><p>电话13812345678</p></object><noscript>甲</noscript><svg><text>乙</text></svg><template>丙</template>',
      '公示\n\n电话13812345678\n\n甲乙丙',
    ],
    ['whitespace collapsed as a browser shows it', '<p>  一\n   二\t三 </p>', '一 二 三'],
    ['pre keeps its lines and spaces', '<pre>a  b\n  c</pre>', 'a  b\n  c'],
    ['br breaks a line; paragraphs leave one blank line', '<p>一<br>二</p><p>三</p>', '一\n二\n\n三'],
    ['entities decoded', '<p>&lt;&amp;&gt;&nbsp;&#x4E2D;&#25991;</p>', '<&>\u00a0中文'],
    [
      'a link’s address after its text; mailto: and tel: shown bare',
      '<p><a href="mailto:a@b.cn">邮箱</a> <a href="tel:13812345678">电话</a></p>',
      '邮箱 [a@b.cn] 电话 [13812345678]',
    ],
    [
      'no address for a jump within the page or a script',
      '<a href="#top">顶部</a><a href="javascript:void(0)">打开</a>',
      '顶部打开',
    ],
    ['control characters are the page’s text, not separators', '<p>a&#1;b\u0002c</p>', 'a\u0001b\u0002c'],
    ['unclosed tags of sloppy pages', '<p>一<p>二<li>三', '一\n\n二\n三'],
  ])('%s', (_, html, expected) => {
    expect(text(html)).toBe(expected);
  });

  it('reads long runs of spaces and of empty cells in one pass (a pattern over them took 10–12 s for 100,000)', () => {
    expect(text(`<p>a${'&nbsp;'.repeat(100_000)}x</p>`)).toBe(`a${'\u00a0'.repeat(100_000)}x`);
    expect(text(`<p>a${' \t '.repeat(100_000)}x</p>`)).toBe('a x');
    expect(text(`<table><tr><td>a</td>${'<td></td>'.repeat(100_000)}<td>x</td></tr></table>`)).toBe('a\tx');
  });

  it('reads the shapes that took the former reader 23 s and 72 s (one column of 100,000 rows, one row of 190,000 cells)', () => {
    const column = text(`<table>${'<tr><td>x</td></tr>'.repeat(100_000)}</table>`);
    expect(column.split('\n')).toHaveLength(100_000);
    const row = text(`<table><tr>${'<td>y</td>'.repeat(190_000)}</tr></table>`);
    expect(row.split('\t')).toHaveLength(190_000);
  });
});

describe('nesting', () => {
  it.each([
    ['flat paragraphs', '<p>一</p><p>二</p>', 1],
    ['nested lists', '<ul><li><ul><li>x</li></ul></li></ul>', 4],
    ['void and self-closing elements do not nest', '<div><br><img src="a"><hr/><span/></div>', 1],
    ['stray closing tags do not go below zero', '</div></div><p>x</p>', 1],
  ])('%s: depth %i', (_name, html, depth) => {
    expect(nestingDepth(html)).toBe(depth);
  });

  it('refuses an .html file nested too deeply to parse safely', async () => {
    expect(await extractText('deep.html', Buffer.from(`${'<div>'.repeat(100_000)}x`))).toEqual({
      ok: false,
      error: '网页结构嵌套过深，无法读取。',
    });
  });
});

describe('unsupported types', () => {
  it.each([
    ['旧文件.doc', '暂不支持旧版 Word（.doc）文件，请在 Word 中另存为 .docx 后再发送。'],
    ['扫描件.PDF', '暂不支持 PDF 文件，请复制正文文字直接发送，或另存为 .docx、.txt 后再发送。'],
    ['表格.xlsx', '暂不支持“.xlsx”类型的文件，目前支持 .txt、.docx、.html（.htm）文件。'],
    ['README', '暂不支持没有扩展名的文件，目前支持 .txt、.docx、.html（.htm）文件。'],
  ])('%s', async (name, error) => {
    expect(await extractText(name, Buffer.from('x'))).toEqual({ ok: false, error });
    expect(isSupportedFile(name)).toBe(false);
  });

  it('isSupportedFile knows the supported ones', () => {
    expect(['a.txt', 'b.DOCX', 'c.html', 'd.htm', 'e.shtml'].every(isSupportedFile)).toBe(true);
    expect(isSupportedFile('x.constructor')).toBe(false);
  });
});
