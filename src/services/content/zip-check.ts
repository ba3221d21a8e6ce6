// .docx and .xlsx are zip archives, and a zip can declare gigabytes behind a few kilobytes. Before
// any parser inflates one, its central directory is read (yauzl, lazily: entry headers only, nothing
// inflated) and the archive is refused when it declares too much.
import yauzl from 'yauzl';
import { ZIP_LIMITS, type ZipLimits } from './limits.js';

export type ZipVerdict =
  | { ok: true; entries: number; uncompressedBytes: number }
  | { ok: false; problem: 'not-zip' }
  | { ok: false; problem: 'entries'; found: number; limit: number }
  | { ok: false; problem: 'uncompressed'; found: number; limit: number }
  | { ok: false; problem: 'ratio'; found: number; limit: number };

/** Entries smaller than this are not judged by their own ratio (a tiny XML part compresses well). */
const RATIO_FLOOR_BYTES = 1024 * 1024;

export async function checkZip(data: Buffer, limits: ZipLimits = ZIP_LIMITS): Promise<ZipVerdict> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(data, { lazyEntries: true, validateEntrySizes: true });
  } catch {
    return { ok: false, problem: 'not-zip' };
  }
  // The count comes from the end-of-central-directory record: known before any entry is read.
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    return { ok: false, problem: 'entries', found: zip.entryCount, limit: limits.maxEntries };
  }
  return new Promise<ZipVerdict>((resolve) => {
    let uncompressed = 0;
    let compressed = 0;
    let entries = 0;
    const stop = (verdict: ZipVerdict) => {
      zip.removeAllListeners();
      zip.on('error', () => undefined);
      zip.close();
      resolve(verdict);
    };
    zip.on('entry', (entry: yauzl.Entry) => {
      entries++;
      uncompressed += entry.uncompressedSize;
      compressed += entry.compressedSize;
      if (uncompressed > limits.maxUncompressedBytes) {
        return stop({
          ok: false,
          problem: 'uncompressed',
          found: uncompressed,
          limit: limits.maxUncompressedBytes,
        });
      }
      if (entry.uncompressedSize > RATIO_FLOOR_BYTES) {
        const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
        if (ratio > limits.maxRatio)
          return stop({ ok: false, problem: 'ratio', found: Math.round(ratio), limit: limits.maxRatio });
      }
      zip.readEntry();
    });
    zip.on('end', () => {
      const ratio = uncompressed / Math.max(1, compressed);
      if (uncompressed > RATIO_FLOOR_BYTES && ratio > limits.maxRatio) {
        return stop({ ok: false, problem: 'ratio', found: Math.round(ratio), limit: limits.maxRatio });
      }
      stop({ ok: true, entries, uncompressedBytes: uncompressed });
    });
    zip.on('error', () => stop({ ok: false, problem: 'not-zip' }));
    zip.readEntry();
  });
}
