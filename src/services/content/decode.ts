// Bytes of a member's text file to a string (its own module: light enough for every parser to load).

/**
 * Bytes to text: a BOM decides (UTF-8, UTF-16LE/BE); otherwise strict UTF-8, and when that is
 * invalid, GB18030 (a superset of GBK and GB2312), the usual encoding of files saved on Chinese
 * Windows. Pure ASCII is the same in both, so the order only matters for non-ASCII text.
 */
export function decodeText(data: Uint8Array): string {
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
    return new TextDecoder('utf-8').decode(data.subarray(3));
  }
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data.subarray(2));
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return new TextDecoder('gb18030').decode(data);
  }
}
