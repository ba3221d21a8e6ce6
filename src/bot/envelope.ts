// The callback envelope (doc 90238): `<xml>…<Encrypt><![CDATA[base64]]></Encrypt>…</xml>`. Before
// the signature is checked nothing but this value is read, and it is read by a strict scan, not an
// XML parser: one <Encrypt> element, base64 inside (bare or in one CDATA section), in an <xml>
// document. Anything else is refused. Only decrypted, signed content ever reaches the parser.

/**
 * The largest body a callback may have. The largest legitimate callbacks, built at WeCom's field
 * limits in test/envelope.test.ts, as envelopes on the wire: a template_card_event of a vote (a
 * 1,024-byte button key, a 1,024-byte question key, 20 option ids of 128 bytes) 8,371 bytes; three
 * selectors 7,687; a forwarded link with a 2,000-character address 5,383; a text message of 2,048
 * bytes 3,379. 16 KB is about twice the largest.
 */
export const MAX_CALLBACK_BODY_BYTES = 16 * 1024;

const DOCUMENT = /^\s*(?:<\?xml[^<>]{0,100}\?>\s*)?<xml>[\s\S]*<\/xml>\s*$/;
const ENCRYPT = /<Encrypt>(?:<!\[CDATA\[([A-Za-z0-9+/]+={0,2})\]\]>|([A-Za-z0-9+/]+={0,2}))<\/Encrypt>/;

/** The <Encrypt> value, or undefined when the body is not a well-formed envelope. */
export function scanEncrypt(body: string): string | undefined {
  if (!DOCUMENT.test(body)) return undefined;
  // Exactly one <Encrypt> element: a second one could be read differently by someone else.
  const first = body.indexOf('<Encrypt');
  if (first < 0 || body.indexOf('<Encrypt', first + 1) >= 0) return undefined;
  const match = ENCRYPT.exec(body);
  return match ? (match[1] ?? match[2]) : undefined;
}
