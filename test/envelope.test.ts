// The callback envelope: a body cap that fits WeCom's largest real callbacks, the <Encrypt> value
// taken by a strict scan, and nothing parsed before the signature is verified.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptMessage } from '../src/bot/crypto.js';
import { MAX_CALLBACK_BODY_BYTES, scanEncrypt } from '../src/bot/envelope.js';
import { buildXml } from '../src/bot/xml.js';
import { InboundMessage } from '../src/entities/inbound-message.js';
import { generateCredentials } from '../src/sandbox/sandbox.js';
import { startTestBot, type TestBot } from './support/harness.js';

const credentials = generateCredentials();

/** The envelope WeCom posts for a decrypted message, as bytes on the wire. */
function envelopeBytes(xml: string): number {
  const { encrypt } = encryptMessage(credentials, xml, '1700000000', '1234567890');
  return Buffer.byteLength(
    buildXml({ ToUserName: credentials.corpId, AgentID: String(credentials.agentId), Encrypt: encrypt }),
  );
}

const common = {
  ToUserName: credentials.corpId,
  FromUserName: 'x'.repeat(64), // userids are at most 64 bytes
  CreateTime: 1700000000,
};

describe('the largest legitimate callbacks fit the body cap', () => {
  const cases: [string, string][] = [
    [
      'a text message of 2,048 bytes (WeCom’s limit), all Chinese',
      buildXml({
        ...common,
        MsgType: 'text',
        Content: '字'.repeat(682),
        MsgId: '7'.repeat(19),
        AgentID: 1000002,
      }),
    ],
    [
      'a template_card_event of a vote: 20 options of 128-byte ids, a 1,024-byte question key',
      buildXml({
        ...common,
        MsgType: 'event',
        Event: 'template_card_event',
        EventKey: 'k'.repeat(1024),
        TaskId: 't'.repeat(128),
        CardType: 'vote_interaction',
        ResponseCode: 'r'.repeat(128),
        AgentID: 1000002,
        SelectedItems: {
          SelectedItem: [
            {
              QuestionKey: 'q'.repeat(1024),
              OptionIds: { OptionId: Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(128, 'o')) },
            },
          ],
        },
      }),
    ],
    [
      'a template_card_event of 3 selectors (multiple_interaction)',
      buildXml({
        ...common,
        MsgType: 'event',
        Event: 'template_card_event',
        EventKey: 'k'.repeat(1024),
        TaskId: 't'.repeat(128),
        CardType: 'multiple_interaction',
        ResponseCode: 'r'.repeat(128),
        AgentID: 1000002,
        SelectedItems: {
          SelectedItem: Array.from({ length: 3 }, (_, i) => ({
            QuestionKey: `${i}`.padEnd(1024, 'q'),
            OptionIds: { OptionId: ['o'.repeat(128)] },
          })),
        },
      }),
    ],
    [
      'a forwarded link with a 2,000-character address',
      buildXml({
        ...common,
        MsgType: 'link',
        Title: '标'.repeat(128),
        Description: '述'.repeat(170),
        Url: `https://mp.weixin.qq.com/s?${'a'.repeat(2000)}`,
        PicUrl: `https://mmbiz.qpic.cn/${'p'.repeat(500)}`,
        MsgId: '7'.repeat(19),
        AgentID: 1000002,
      }),
    ],
  ];

  it.each(cases)('%s', (_name, xml) => {
    const bytes = envelopeBytes(xml);
    // The figures are stated in src/bot/envelope.ts and README: the largest is 8,371 bytes.
    if (process.env.PRINT_ENVELOPES) process.stdout.write(`${_name}: ${bytes} bytes\n`);
    expect(bytes).toBeLessThanOrEqual(8371);
    expect(bytes * 1.9).toBeLessThan(MAX_CALLBACK_BODY_BYTES);
  });
});

describe('scanEncrypt: the strict scan of the envelope', () => {
  const value = 'QUJDREVGR0g=';
  it.each<[string, string, string | undefined]>([
    [
      'WeCom’s envelope',
      `<xml><ToUserName><![CDATA[ww1]]></ToUserName><AgentID><![CDATA[1]]></AgentID><Encrypt><![CDATA[${value}]]></Encrypt></xml>`,
      value,
    ],
    ['bare base64', `<xml><Encrypt>${value}</Encrypt></xml>`, value],
    [
      'a declaration and line breaks',
      `<?xml version="1.0"?>\n<xml>\n  <Encrypt><![CDATA[${value}]]></Encrypt>\n</xml>\n`,
      value,
    ],
    ['two Encrypt elements', `<xml><Encrypt>${value}</Encrypt><Encrypt>QUFB</Encrypt></xml>`, undefined],
    ['whitespace inside the value', `<xml><Encrypt><![CDATA[ ${value}]]></Encrypt></xml>`, undefined],
    ['an entity instead of base64', `<xml><Encrypt>&a;</Encrypt></xml>`, undefined],
    [
      'a DTD before the root',
      `<!DOCTYPE xml [<!ENTITY a "b">]><xml><Encrypt>${value}</Encrypt></xml>`,
      undefined,
    ],
    ['no <xml> root', `<root><Encrypt>${value}</Encrypt></root>`, undefined],
    ['no Encrypt', '<xml><ToUserName>ww1</ToUserName></xml>', undefined],
    ['unclosed', `<xml><Encrypt>${value}`, undefined],
    ['not XML at all', 'hello', undefined],
  ])('%s', (_name, body, expected) => expect(scanEncrypt(body)).toBe(expected));
});

describe('unsigned bodies are refused before anything is parsed', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
    await bot.addPerson('lisi');
  });
  afterAll(() => bot.close());

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(
      `${bot.url}/wecom/callback?msg_signature=${'0'.repeat(40)}&timestamp=${Math.floor(bot.clock.now().getTime() / 1000)}&nonce=1`,
      {
        method: 'POST',
        headers: { 'content-type': 'text/xml', ...headers },
        body,
      },
    );

  it('a 64 KB unsigned body: 413, not read past the cap', async () => {
    const response = await post(`<xml><Encrypt><![CDATA[${'A'.repeat(64 * 1024)}]]></Encrypt></xml>`);
    expect(response.status).toBe(413);
  });

  it('an unsigned body whose XML a parser would choke on is refused for its signature (401), not parsed (400)', async () => {
    const body = `<xml><Encrypt><![CDATA[${'A'.repeat(10_000)}]]></Encrypt><a><b><c></a></xml>`;
    const response = await post(body);
    expect(response.status).toBe(401);
  });

  it('an unsigned body hiding a DTD inside the root: 401 as well', async () => {
    const body = `<xml><!DOCTYPE x [<!ENTITY a "${'a'.repeat(100)}">]><Encrypt>QUFB</Encrypt></xml>`;
    expect((await post(body)).status).toBe(401);
  });

  it('stores nothing for any of them, and a real message still goes through', async () => {
    expect(await bot.database.dataSource.getRepository(InboundMessage).count()).toBe(0);
    expect((await bot.client.sendText('lisi', '帮助')).status).toBe(200);
  });
});
