/**
 * Builds a minimal .docx (one paragraph per line) in memory, so tests need no binary fixtures.
 * jszip is mammoth's own dependency, so it is always installed alongside it.
 */
import JSZip from 'jszip';

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
  <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
  <Default Extension="xml" ContentType="application/xml"/>
  <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>`;

const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
  <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`;

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function documentXml(paragraphs: readonly string[]): string {
  const body = paragraphs.map((p) => `<w:p><w:r><w:t xml:space="preserve">${escapeXml(p)}</w:t></w:r></w:p>`);
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body.join('')}</w:body></w:document>`;
}

export async function makeDocx(paragraphs: readonly string[]): Promise<Buffer> {
  return makeDocxOf(documentXml(paragraphs));
}

/** A .docx whose main part is `xml` as given, at `partName` (named by the root relationships). */
export async function makeDocxOf(xml: string | Buffer, partName = 'word/document.xml'): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', CONTENT_TYPES);
  zip.file('_rels/.rels', ROOT_RELS.replace('word/document.xml', partName));
  zip.file(partName, xml);
  return zip.generateAsync({ type: 'nodebuffer' });
}

/**
 * The hostile .docx of the issue: `count` one-letter paragraphs. Deflated it is small and declares
 * a compression ratio far above a real document's; stored (no compression) it passes the zip check
 * at ~34 bytes a paragraph and reaches the parser, which then needs far more memory and time than
 * any real document.
 */
export async function makeDocxBomb(count: number, compression: 'STORE' | 'DEFLATE'): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', CONTENT_TYPES);
  zip.file('_rels/.rels', ROOT_RELS);
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const body: string[] = [];
  for (let i = 0; i < count; i++) body.push(`<w:p><w:r><w:t>${letters[i % 26]}</w:t></w:r></w:p>`);
  zip.file(
    'word/document.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body.join('')}</w:body></w:document>`,
  );
  return zip.generateAsync({ type: 'nodebuffer', compression, compressionOptions: { level: 9 } });
}
