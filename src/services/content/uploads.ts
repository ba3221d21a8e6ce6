// Files and images members send inside a dialog (a reply's evidence): downloaded at the tightest of
// three caps (per file, what is left of the collection's total, what is left of the member's daily
// allowance) and stored as a draft upload that housekeeping removes after `draftHours`, unless the
// dialog keeps it (keepFiles) or drops it (deleteDraftFiles on 取消). Returns outcomes, not text.
import type { MediaDownload } from '../../messages/inbound.js';
import { deleteDraftFiles, keepFiles, saveFile, uploadedBytesSince } from '../../db/files.js';
import { shanghaiDate, startOfShanghaiDay } from '../calendar/time.js';
import type { Actor, Effects } from '../shared/effects.js';
import type { AttachmentLimits } from './service.js';
import { imageFileName } from './views.js';

/** A draft upload as a dialog keeps it. */
export interface CollectedFile {
  id: number;
  name: string;
  size: number;
}

/** What was sent: a file (with its name) or an image (named after its message). */
export interface SentMedia {
  type: 'file' | 'image';
  mediaId: string;
  fileName?: string;
  msgId: string;
}

export type UploadOutcome =
  | { kind: 'kept'; file: CollectedFile }
  /** The file alone passes the per-file cap. */
  | { kind: 'too-large'; limitBytes: number }
  /** The collection's files together would pass its total. */
  | { kind: 'collection-full'; limitBytes: number }
  /** The member's uploads today would pass the daily allowance. */
  | { kind: 'daily-full'; limitBytes: number };

export async function keepDraftUpload(
  effects: Effects,
  input: {
    media: SentMedia;
    /** Bytes the collection holds already. */
    collectedBytes: number;
    limits: AttachmentLimits;
    fetchMedia: (mediaId: string, maxBytes: number) => Promise<MediaDownload>;
  },
  actor: Pick<Actor, 'userid'>,
): Promise<UploadOutcome> {
  const { media, limits } = input;
  const collectionLeft = limits.perReplyBytes - input.collectedBytes;
  if (collectionLeft <= 0) return { kind: 'collection-full', limitBytes: limits.perReplyBytes };
  const today = startOfShanghaiDay(shanghaiDate(effects.now));
  const dayLeft = limits.perMemberPerDayBytes - (await uploadedBytesSince(effects.tx, actor.userid, today));
  if (dayLeft <= 0) return { kind: 'daily-full', limitBytes: limits.perMemberPerDayBytes };
  const cap = Math.min(limits.perFileBytes, collectionLeft, dayLeft);
  const download = await input.fetchMedia(media.mediaId, cap);
  if (!download.ok) {
    if (cap === limits.perFileBytes) return { kind: 'too-large', limitBytes: limits.perFileBytes };
    return cap === collectionLeft
      ? { kind: 'collection-full', limitBytes: limits.perReplyBytes }
      : { kind: 'daily-full', limitBytes: limits.perMemberPerDayBytes };
  }
  const file = download.file;
  const name =
    media.type === 'file'
      ? (media.fileName ?? file.fileName)
      : file.fileName && file.fileName !== 'file'
        ? file.fileName
        : imageFileName(media.msgId);
  const stored = await saveFile(effects.tx, {
    fileName: name.slice(0, 200),
    contentType: file.contentType,
    data: file.data,
    owner: actor.userid,
    source: 'upload',
    // Kept for good only once the dialog is done; a draft left behind is removed.
    expiresAt: new Date(effects.now.getTime() + limits.draftHours * 3_600_000),
  });
  return { kind: 'kept', file: { id: stored.id, name: stored.fileName, size: stored.size } };
}

/** The dialog is done: its files stop being drafts. */
export async function keepCollected(effects: Pick<Effects, 'tx'>, files: readonly CollectedFile[]) {
  await keepFiles(
    effects.tx,
    files.map((file) => file.id),
  );
}

/** 取消: the drafts go (a file already kept elsewhere is never removed). */
export async function dropCollected(effects: Pick<Effects, 'tx'>, files: readonly CollectedFile[]) {
  return deleteDraftFiles(
    effects.tx,
    files.map((file) => file.id),
  );
}
