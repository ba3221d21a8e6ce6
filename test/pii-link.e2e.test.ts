// 检查 an article before reposting it: a link forwarded to the bot (WeCom's `link` message), at
// any time or after 检查, or an address typed after 检查. The page is read and checked.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboundMessage } from '../src/entities/inbound-message.js';
import { exchange, say } from './support/chat.js';
import { startTestBot, type TestBot } from './support/harness.js';

let bot: TestBot;
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/article') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(
        '<html><body><h1>便民服务</h1><p>如有疑问请联系王先生，手机13812345678。</p></body></html>',
      );
    } else if (request.url === '/long') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(
        `<p>联系人手机13812345678。</p>${'<p>我市持续推进政府网站集约化建设，提升服务水平。</p>'.repeat(200)}`,
      );
    } else if (request.url === '/clean') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end('<p>我市召开政府网站工作会议。</p>');
    } else {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  bot = await startTestBot();
  await bot.addPerson('liaison', { name: '联络员', unit: '市水利局' });
});

afterAll(async () => {
  await bot.close();
  await new Promise((resolve) => server.close(resolve));
});

function forward(url: string, title = '', description = ''): Promise<string> {
  return exchange(bot, 'liaison', () =>
    bot.client.post(bot.client.linkXml('liaison', { url, title, description })),
  ).then((sent) => sent.replies.join('\n\n'));
}

describe('检查 a forwarded article', () => {
  it('checks the page of a link forwarded outside any dialog, masked', async () => {
    const report = await forward(`${base}/article`, '便民服务指南', '办事指南');
    expect(report).toContain(`文章《便民服务指南》（${new URL(base).host}）：`);
    expect(report).toContain('138****5678');
    expect(report).not.toContain('13812345678');
    const [row] = await bot.database.dataSource
      .getRepository(InboundMessage)
      .find({ order: { id: 'DESC' }, take: 1 });
    expect(row).toMatchObject({ msgType: 'link', status: 'done' });
  });

  it('keeps a long article’s report to one message, the heading included', async () => {
    const sent = await exchange(bot, 'liaison', () =>
      bot.client.post(bot.client.linkXml('liaison', { url: `${base}/long`, title: '长'.repeat(80) })),
    );
    expect(sent.replies).toHaveLength(1);
    expect(Buffer.byteLength(sent.replies[0]!)).toBeLessThanOrEqual(2048);
    expect(sent.replies[0]).toContain(`文章《${'长'.repeat(40)}》`);
    expect(sent.replies[0]).toContain('138****5678');
  });

  it('checks a link sent after 检查, and an address typed after it', async () => {
    expect(await say(bot, 'liaison', '检查')).toContain('转发文章链接');
    expect(await forward(`${base}/clean`, '工作会议')).toContain('未发现');
    expect(await say(bot, 'liaison', `检查 ${base}/article`)).toContain('138****5678');
  });

  it('when the page cannot be read, checks the title and summary and says so', async () => {
    const report = await forward(`${base}/gone`, '通知', '联系电话13912345678');
    expect(report).toContain(
      '文章《通知》正文未能读取：无法读取该链接（网站返回 404）。以下只检查了标题和摘要。',
    );
    expect(report).toContain('139****5678');
    expect(await forward(`${base}/gone`)).toBe(
      '无法读取该链接（网站返回 404）。可将文章文字粘贴发送，或发送文件。',
    );
  });

  it('a link in the middle of another dialog does not start a check', async () => {
    expect(await say(bot, 'liaison', '账号备案')).toContain('开设');
    const answer = await forward(`${base}/article`, '便民服务指南');
    expect(answer).not.toContain('138****5678');
    expect(answer).not.toBe('');
    await say(bot, 'liaison', '取消');
  });
});
