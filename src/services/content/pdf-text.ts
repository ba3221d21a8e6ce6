// The text of a PDF file (attachments the site patrol reads), with pdfjs-dist: no scripts, no fonts
// loaded, at most MAX_PAGES pages. Runs only inside the content worker (parsers.ts).
import type { ExtractResult } from './text-extract.js';

/** Pages read at most: a leak in a 500-page report is most often on its first pages anyway. */
export const PDF_MAX_PAGES = 100;

export async function extractPdf(data: Buffer): Promise<ExtractResult> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  let document;
  try {
    document = await getDocument({
      // pdfjs takes ownership of the buffer it is given: a copy keeps the caller's intact.
      data: new Uint8Array(data),
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      stopAtErrors: false,
      verbosity: 0,
    }).promise;
  } catch {
    return { ok: false, error: '无法读取该 PDF 文件：文件可能已损坏或已加密。' };
  }
  try {
    const parts: string[] = [];
    for (let number = 1; number <= Math.min(document.numPages, PDF_MAX_PAGES); number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      parts.push(content.items.map((item) => ('str' in item ? item.str : '')).join(''));
      page.cleanup();
    }
    return { ok: true, text: parts.join('\n') };
  } catch {
    return { ok: false, error: '无法读取该 PDF 文件：文件可能已损坏或已加密。' };
  } finally {
    await document.destroy();
  }
}
