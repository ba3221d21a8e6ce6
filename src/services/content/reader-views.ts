// What the readers that run in the content worker say of a file they could not read (text-extract.ts).
// Apart from views.ts, which names the pool's refusals: the worker's modules import nothing of the pool.

/** A .docx the reader could not take as a Word document. */
export const DOCX_UNREADABLE_TEXT = '无法读取该 Word 文档：文件可能已损坏，或并不是 .docx 格式。';

/** A .docx nested past the reader's limit (docx-text.ts, MAX_DOCX_DEPTH). */
export const DOCX_TOO_DEEP_TEXT = 'Word 文档结构嵌套过深，无法读取。';
