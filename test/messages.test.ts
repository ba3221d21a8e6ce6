import { describe, expect, it } from 'vitest';
import { markdownToPlain, splitContent } from '../src/messages/outbound.js';
import { parseInbound, dedupeKey } from '../src/bot/inbound.js';
import { buildXml, parseXml, XmlError } from '../src/bot/xml.js';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('splitContent', () => {
  it('keeps short content whole', () => {
    expect(splitContent('你好')).toEqual(['你好']);
  });

  it('splits at line boundaries, each part within the limit, order kept', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `第${i}行 整改情况`);
    const content = lines.join('\n');
    const parts = splitContent(content, 2048);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(bytes(part)).toBeLessThanOrEqual(2048);
    expect(parts.join('\n')).toBe(content);
  });

  it('cuts a single over-long line by characters, never inside one', () => {
    const line = '汉'.repeat(1000); // 3000 bytes
    const parts = splitContent(line, 2048);
    expect(parts.map(bytes)).toEqual([2046, 954]);
    expect(parts.join('')).toBe(line);
  });

  it('counts emoji as whole characters', () => {
    const parts = splitContent('😀'.repeat(600), 2048);
    expect(parts.join('')).toBe('😀'.repeat(600));
    for (const part of parts) expect(bytes(part)).toBeLessThanOrEqual(2048);
  });
});

describe('markdownToPlain', () => {
  it('strips the WeCom markdown subset', () => {
    expect(
      markdownToPlain('# 标题\n**粗体** <font color="warning">警告</font> [看板](http://x)\n> 引用'),
    ).toBe('标题\n粗体 警告 看板（http://x）\n引用');
  });
});

describe('XML', () => {
  it('parses a text message keeping the 64-bit MsgId as a string', () => {
    const xml =
      '<xml><ToUserName><![CDATA[wx]]></ToUserName><FromUserName><![CDATA[u1]]></FromUserName><CreateTime>1409659813</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[ 你好 & <b> ]]></Content><MsgId>9223372036854775807</MsgId><AgentID>218</AgentID></xml>';
    const inbound = parseInbound(xml);
    expect(inbound).toMatchObject({
      type: 'text',
      msgId: '9223372036854775807',
      content: ' 你好 & <b> ',
      fromUser: 'u1',
    });
    expect(dedupeKey(inbound, xml)).toBe('msg:9223372036854775807');
  });

  it('parses a template card event with its selections', () => {
    const xml = buildXml({
      ToUserName: 'wx',
      FromUserName: 'u1',
      CreateTime: 1,
      MsgType: 'event',
      Event: 'template_card_event',
      EventKey: 'task:submit:12',
      TaskId: 't12',
      CardType: 'button_interaction',
      ResponseCode: 'rc',
      SelectedItems: { SelectedItem: { QuestionKey: 'q', OptionIds: { OptionId: ['a', 'b'] } } },
    });
    const inbound = parseInbound(xml);
    expect(inbound).toMatchObject({
      type: 'event',
      eventKey: 'task:submit:12',
      card: { taskId: 't12', responseCode: 'rc', selected: { q: ['a', 'b'] } },
    });
    expect(dedupeKey(inbound, xml)).toMatch(/^xml:[0-9a-f]{40}$/);
  });

  it('keeps unknown message types instead of failing', () => {
    const xml = buildXml({
      ToUserName: 'wx',
      FromUserName: 'u1',
      CreateTime: 1,
      MsgType: 'location',
      MsgId: '5',
    });
    expect(parseInbound(xml)).toMatchObject({ type: 'other', msgType: 'location', msgId: '5' });
  });

  it.each([
    ['no root', '<a>1</a>'],
    ['mismatched tags', '<xml><a>1</b></xml>'],
    ['DTD', '<!DOCTYPE xml [<!ENTITY x "y">]><xml><a>&x;</a></xml>'],
    ['not XML', 'garbage'],
  ])('rejects %s', (_name, text) => {
    expect(() => parseXml(text)).toThrow(XmlError);
  });

  it('escapes "]]>" inside CDATA', () => {
    const xml = buildXml({ Content: 'a]]>b' });
    expect(parseXml(xml).Content).toBe('a]]>b');
  });
});
