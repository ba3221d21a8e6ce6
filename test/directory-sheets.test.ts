// Reading directory sheets: CSV as Excel writes it, header detection, labels and values, and the
// demo data's shape.
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { ContentService } from '../src/services/content/service.js';
import { decodeCsv, parseCsv } from '../src/services/content/csv.js';
import {
  allocate,
  DEMO_ACCOUNT_COUNTS,
  DEMO_WEBSITE_COUNT,
  demoDirectoryRows,
  demoPersonName,
} from '../src/services/directory/demo.js';
import {
  cellText,
  detectSheetKind,
  isValidPersonName,
  isValidUserid,
  normaliseDomain,
  parseSiteAddress,
  siteHomeUrls,
  normaliseMobile,
  parseAccountStatus,
  parsePlatform,
  parseRole,
  parseTables,
  parseUnitKind,
  readTables,
} from '../src/services/directory/sheets.js';

/** 单位名称,姓名 / 高青县,王五 in GBK. */
/** Spreadsheets are parsed in the content worker pool, as in the bot. */
const content = new ContentService({ allowPrivateHosts: false });
afterAll(() => content.close());

const GBK_SAMPLE = Buffer.from('b5a5cebbc3fbb3c62cd0d5c3fb0ab8dfc7e0cfd82ccdf5cee50a', 'hex');

describe('CSV', () => {
  it.each<[string, string, { line: number; cells: string[] }[]]>([
    [
      'plain rows',
      'a,b\nc,d\n',
      [
        { line: 1, cells: ['a', 'b'] },
        { line: 2, cells: ['c', 'd'] },
      ],
    ],
    [
      'CRLF and no final newline',
      'a,b\r\nc,d',
      [
        { line: 1, cells: ['a', 'b'] },
        { line: 2, cells: ['c', 'd'] },
      ],
    ],
    [
      'empty fields',
      'a,,c\n,,\n',
      [
        { line: 1, cells: ['a', '', 'c'] },
        { line: 2, cells: ['', '', ''] },
      ],
    ],
    ['quoted commas and quotes', '"a,b","say ""hi"""\n', [{ line: 1, cells: ['a,b', 'say "hi"'] }]],
    [
      'a quoted field over two lines keeps the next record’s line right',
      'x,"line 1\nline 2"\ny,z\n',
      [
        { line: 1, cells: ['x', 'line 1\nline 2'] },
        { line: 3, cells: ['y', 'z'] },
      ],
    ],
    [
      'a blank line is not a record',
      'a\n\nb\n',
      [
        { line: 1, cells: ['a'] },
        { line: 3, cells: ['b'] },
      ],
    ],
  ])('%s', (_name, text, records) => {
    expect(parseCsv(text)).toEqual(records);
  });

  it('decodes UTF-8 with and without BOM', () => {
    const text = '单位名称,姓名\n';
    expect(decodeCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toEqual({
      ok: true,
      text,
    });
    expect(decodeCsv(Buffer.from(text))).toEqual({ ok: true, text });
  });

  it('reads GBK (Excel’s plain CSV on Chinese Windows)', () => {
    expect(decodeCsv(GBK_SAMPLE)).toEqual({ ok: true, text: '单位名称,姓名\n高青县,王五\n' });
  });

  it('refuses bytes that are neither UTF-8 nor GBK, with a way out', () => {
    const result = decodeCsv(Buffer.from([0x81, 0x30, 0xff, 0xff, 0x0a]));
    expect(result).toEqual({ ok: false, error: expect.stringContaining('CSV UTF-8') as string });
  });
});

describe('labels and values', () => {
  it.each([
    ['区县', 'district'],
    ['功能区', 'zone'],
    ['市直部门', 'department'],
    ['其他', 'other'],
    ['其它', 'other'],
    ['乡镇', undefined],
  ])('单位类型 %s → %s', (label, kind) => expect(parseUnitKind(label)).toBe(kind));

  it.each([
    ['联络员', 'liaison'],
    ['督办员', 'supervisor'],
    ['督办人员', 'supervisor'],
    ['管理员', 'admin'],
    ['组长', undefined],
  ])('角色 %s → %s', (label, role) => expect(parseRole(label)).toBe(role));

  it.each([
    ['微信公众号', 'wechat'],
    ['微信', 'wechat'],
    ['新浪微博', 'weibo'],
    ['微博', 'weibo'],
    ['今日头条', 'toutiao'],
    ['头条号', 'toutiao'],
    ['抖音', 'douyin'],
    ['抖音号', 'douyin'],
    ['其他', 'other'],
    ['快手', undefined],
  ])('平台 %s → %s', (label, platform) => expect(parsePlatform(label)).toBe(platform));

  it.each([
    ['运行', 'running'],
    ['', 'running'],
    ['已关停', 'closed'],
    ['关停', 'closed'],
    ['已注销', 'cancelled'],
    ['暂停', undefined],
  ])('状态 %j → %s', (label, status) => expect(parseAccountStatus(label)).toBe(status));

  it.each([
    ['13800000001', '13800000001'],
    ['138 0000 0001', '13800000001'],
    ['+86 138-0000-0001', '13800000001'],
    ['8613800000001', '13800000001'],
    ['12800000001', null],
    ['1380000000', null],
    ['0533-1234567', null],
  ])('手机号 %s → %s', (text, mobile) => expect(normaliseMobile(text)).toBe(mobile));

  it.each([
    ['www.zibo.gov.cn', 'www.zibo.gov.cn'],
    ['HTTPS://WWW.Zibo.gov.cn/col/index.html', 'www.zibo.gov.cn'],
    ['zwfw.zibo.gov.cn:8080/', 'zwfw.zibo.gov.cn:8080'],
    ['not a domain', null],
    ['localhost', null],
  ])('域名 %s → %s', (text, domain) => expect(normaliseDomain(text)).toBe(domain));

  it.each([
    ['www.zibo.gov.cn', 'www.zibo.gov.cn', null],
    ['WWW.Zibo.gov.cn/', 'www.zibo.gov.cn', null],
    ['https://www.zibo.gov.cn/zwgk/index.html', 'www.zibo.gov.cn', 'https://www.zibo.gov.cn/zwgk/index.html'],
    ['http://10.12.3.4:8080/', '10.12.3.4:8080', 'http://10.12.3.4:8080/'],
    ['10.12.3.4:8080', '10.12.3.4:8080', 'http://10.12.3.4:8080/'],
    ['zwfw.zibo.gov.cn:8443', 'zwfw.zibo.gov.cn:8443', 'http://zwfw.zibo.gov.cn:8443/'],
    ['ftp://www.zibo.gov.cn/', null, null],
    ['http://user:pw@www.zibo.gov.cn/', null, null],
    ['not a site', null, null],
  ])('网站地址 %s → %s %s', (text, domain, homeUrl) => {
    const parsed = parseSiteAddress(text);
    expect(parsed ? [parsed.domain, parsed.homeUrl] : [null, null]).toEqual([domain, homeUrl]);
  });

  it('reads a site from its home URL, or https then http of its domain', () => {
    expect(siteHomeUrls({ domain: 'www.zibo.gov.cn', homeUrl: null })).toEqual([
      'https://www.zibo.gov.cn/',
      'http://www.zibo.gov.cn/',
    ]);
    expect(siteHomeUrls({ domain: '10.12.3.4:8080', homeUrl: 'http://10.12.3.4:8080/' })).toEqual([
      'http://10.12.3.4:8080/',
    ]);
  });

  it.each([
    ['zhangsan', true],
    ['Zhang.San-01@corp', true],
    ['_zhang', false],
    ['张三', false],
    ['a'.repeat(64), true],
    ['a'.repeat(65), false],
  ])('userid %s valid: %s', (userid, valid) => expect(isValidUserid(userid)).toBe(valid));

  it.each([
    ['王五', true],
    ['阿依古丽·买买提', true],
    ['John Smith', true],
    ['王五1', false],
    ['370302199001011234', false],
    ['', false],
  ])('姓名 %s valid: %s', (name, valid) => expect(isValidPersonName(name)).toBe(valid));

  it.each<[ExcelJS.CellValue, string]>([
    [3703000001, '3703000001'],
    [13800000001, '13800000001'],
    [1.5, '1.5'],
    [null, ''],
    [{ richText: [{ text: '高青' }, { text: '县' }] }, '高青县'],
    [{ text: 'www.zibo.gov.cn', hyperlink: 'http://www.zibo.gov.cn' }, 'www.zibo.gov.cn'],
    [{ formula: 'A1', result: '市水利局' }, '市水利局'],
  ])('cell %j reads as %s', (value, text) => expect(cellText(value)).toBe(text));
});

describe('headers', () => {
  it.each([
    [['单位名称', '单位类型', '上级单位', '姓名', '企业微信账号', '角色', '手机号'], 'people'],
    [['单位名称', '单位类型', '姓名', '企业微信帐号', '角色'], 'people'],
    [['网站名称', '网站标识码', '域名', '主办单位'], 'websites'],
    [['账号名称', '平台', '主办单位', '状态'], 'accounts'],
    [['姓名', '电话'], undefined],
  ])('%j is a %s sheet', (header, kind) => expect(detectSheetKind(header)).toBe(kind));

  it('finds a header below a title row, in any column order, with marks such as *', () => {
    const parsed = parseTables([
      {
        sheet: '网站',
        rows: [
          { line: 1, cells: ['淄博市政府网站名录'] },
          { line: 2, cells: ['主办单位', '*网站标识码', '网站名称', '域名（必填）'] },
          { line: 3, cells: ['市水利局', '3703000016', '淄博市水利局', 'slj.zibo.gov.cn'] },
        ],
      },
    ]);
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows.websites).toEqual([
      {
        where: { sheet: '网站', line: 3 },
        name: '淄博市水利局',
        siteCode: '3703000016',
        domain: 'slj.zibo.gov.cn',
        homeUrl: null,
        unitName: '市水利局',
      },
    ]);
  });

  it('names a sheet it cannot recognise and a missing column', () => {
    const parsed = parseTables([
      { sheet: '说明', rows: [{ line: 1, cells: ['填表说明'] }] },
      { sheet: '账号', rows: [{ line: 1, cells: ['账号名称', '平台', '状态'] }] },
    ]);
    expect(parsed.errors.map((error) => error.message)).toEqual([
      expect.stringContaining('无法识别表头') as string,
      '新媒体账号表缺少列：主办单位',
    ]);
  });

  it('reads an .xlsx with every sheet and refuses other file types', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('网站').addRows([
      ['网站名称', '网站标识码', '域名', '主办单位'],
      [
        '淄博市水利局',
        3703000016,
        { text: 'slj.zibo.gov.cn', hyperlink: 'http://slj.zibo.gov.cn' },
        '市水利局',
      ],
    ]);
    workbook.addWorksheet('空白');
    const read = await readTables(content, '名录.XLSX', Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(read).toEqual({
      ok: true,
      tables: [
        {
          sheet: '网站',
          rows: [
            { line: 1, cells: ['网站名称', '网站标识码', '域名', '主办单位'] },
            { line: 2, cells: ['淄博市水利局', '3703000016', 'slj.zibo.gov.cn', '市水利局'] },
          ],
        },
        { sheet: '空白', rows: [] },
      ],
    });
    expect(await readTables(content, '名录.xls', Buffer.from(''))).toEqual({
      ok: false,
      error: expect.stringContaining('.xlsx') as string,
    });
    expect(await readTables(content, '名录.txt', Buffer.from(''))).toEqual({
      ok: false,
      error: '只能导入 .xlsx 或 .csv 文件。',
    });
    expect(await readTables(content, '坏.xlsx', Buffer.from('not a zip'))).toMatchObject({ ok: false });
  });
});

describe('demo directory', () => {
  it('is shaped like the notice', () => {
    const rows = demoDirectoryRows();
    expect(rows.websites).toHaveLength(DEMO_WEBSITE_COUNT);
    const perPlatform: Record<string, number> = {};
    for (const account of rows.accounts)
      perPlatform[account.platform] = (perPlatform[account.platform] ?? 0) + 1;
    expect(perPlatform).toEqual({ wechat: 437, weibo: 90, toutiao: 34, douyin: 62, other: 37 });
    expect(Object.values(DEMO_ACCOUNT_COUNTS).reduce((a, b) => a + b, 0)).toBe(660);
    expect(new Set(rows.accounts.map((a) => `${a.platform}:${a.name}`)).size).toBe(660);
    expect(new Set(rows.websites.map((w) => w.siteCode)).size).toBe(54);
    for (const site of rows.websites) expect(site.siteCode).toMatch(/^3703\d{6}$/);
    for (const site of rows.websites) expect(site.domain).toMatch(/\.example$/);
    const userids = rows.people.map((p) => p.person!.userid);
    expect(new Set(userids).size).toBe(userids.length);
    for (const userid of userids) expect(userid).toMatch(/^demo_/);
    for (const person of rows.people) expect(person.person!.mobile).toMatch(/^1380000\d{4}$/);
    expect(rows.accounts).toContainEqual(
      expect.objectContaining({ name: '张店警方', platform: 'douyin', unitName: '市公安局张店分局' }),
    );
    // The sheets it would make parse back to the same rows.
    expect(
      parseTables([
        {
          sheet: '人员',
          rows: [
            {
              line: 1,
              cells: ['单位名称', '单位类型', '上级单位', '姓名', '企业微信账号', '角色', '手机号'],
            },
            ...rows.people.map((p, i) => ({
              line: i + 2,
              cells: [
                p.unitName,
                '区县',
                p.parentName ?? '',
                p.person!.name,
                p.person!.userid,
                '联络员',
                p.person!.mobile ?? '',
              ],
            })),
          ],
        },
      ]).errors,
    ).toEqual([]);
  });

  it('invents distinct names', () => {
    const names = Array.from({ length: 400 }, (_, i) => demoPersonName(i));
    expect(new Set(names).size).toBe(400);
  });

  it.each<[number, number[], number[]]>([
    [10, [1, 1], [5, 5]],
    [10, [1, 2], [3, 7]],
    [437, [12, 5, 2], [276, 115, 46]],
    [0, [3, 1], [0, 0]],
  ])('allocate(%i, %j) = %j', (total, weights, expected) => {
    expect(allocate(total, weights)).toEqual(expected);
    expect(allocate(total, weights).reduce((a, b) => a + b, 0)).toBe(total);
  });
});
