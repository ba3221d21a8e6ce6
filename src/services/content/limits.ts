// What the bot accepts from members before it does any work on it, and how much work one parse may
// take. Every figure is documented in README ("Limits on what members send") with its reason;
// change both together.

const KB = 1024;
const MB = 1024 * KB;

/** The kinds of member-supplied content the bot reads, each with its own size limit. */
export type ContentKind = 'txt' | 'docx' | 'html' | 'xlsx' | 'csv' | 'json' | 'page' | 'attachment' | 'pdf';

/** Bytes read at most (downloads stop reading here); a larger file is refused unread. */
export const SIZE_LIMITS: Readonly<Record<ContentKind, number>> = {
  // A long notice is ~50 KB of text; 2 MB is a book.
  txt: 2 * MB,
  // Pictures make .docx files large; only the text is read, and the zip check bounds the rest.
  docx: 10 * MB,
  // A real page with its markup stays well under 2 MB; the same cap for a forwarded page.
  html: 2 * MB,
  page: 2 * MB,
  // 100,000 rows of the platform's guestbook export are about 8 MB.
  xlsx: 10 * MB,
  csv: 5 * MB,
  // A PDF attachment on a unit's site (the patrol reads its first 100 pages' text).
  pdf: 10 * MB,
  // A year of holidays in holiday-cn format is a few KB.
  json: 256 * KB,
  // A 办理 attachment is kept, not read: WeCom's own cap on a file it carries is 20 MB.
  attachment: 20 * MB,
};

/** Files kept with a 办理 reply (stored in the database, so they are bounded three ways). */
export const ATTACHMENT_LIMITS = {
  perFileBytes: SIZE_LIMITS.attachment,
  // A reply's evidence (screenshots, a rectification report) is a few MB; 50 MB is generous.
  perReplyBytes: 50 * MB,
  // The database holds every file: one member cannot add more than this a day (drafts count).
  perMemberPerDayBytes: 200 * MB,
  // Files of a reply still being written are drafts: removed this long after, unless submitted.
  draftHours: 24,
} as const;

/** .docx/.xlsx are zip archives: checked from their central directory before anything is inflated. */
export interface ZipLimits {
  /** Total declared uncompressed size of all entries. */
  maxUncompressedBytes: number;
  maxEntries: number;
  /** Declared uncompressed ÷ compressed, for the archive and for every entry over 1 MB. */
  maxRatio: number;
}

export const ZIP_LIMITS: Readonly<ZipLimits> = {
  // Word and Excel files of real reports inflate to a few MB; 100,000 spreadsheet rows to ~40 MB.
  maxUncompressedBytes: 64 * MB,
  // A document with a few hundred pictures has a few hundred entries.
  maxEntries: 2000,
  // Office XML compresses about 5–30:1; zip bombs reach 1000:1.
  maxRatio: 100,
};

/** How long one parse may run, and how much memory one worker may use. */
export interface JobLimits {
  timeMs: number;
  memoryMb: number;
}

export const JOB_LIMITS: Readonly<JobLimits> = {
  // Real files parse in well under a second; 10 s leaves room on a busy machine.
  timeMs: 10_000,
  // Per worker (V8 old generation): a 10 MB workbook of 100,000 rows needs about 60 MB.
  memoryMb: 128,
};

/** The kind a file name stands for, or undefined for a kind the bot does not read. */
export function kindOfFile(fileName: string): ContentKind | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  switch (extension) {
    case 'txt':
      return 'txt';
    case 'docx':
      return 'docx';
    case 'html':
    case 'htm':
    case 'shtml':
      return 'html';
    case 'xlsx':
      return 'xlsx';
    case 'csv':
      return 'csv';
    case 'json':
      return 'json';
    default:
      return undefined;
  }
}

/** Human-readable size: 2 MB, 256 KB. */
export function formatBytes(bytes: number): string {
  if (bytes >= MB) return `${Math.round((bytes / MB) * 10) / 10} MB`;
  if (bytes >= KB) return `${Math.round(bytes / KB)} KB`;
  return `${bytes} 字节`;
}
