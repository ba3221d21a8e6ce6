// Files kept in the database (exports the bot makes, uploads it receives), in portable chunks.
import { createHash } from 'node:crypto';
import { In, IsNull, LessThan, Not, type EntityManager } from 'typeorm';
import { StoredFile, StoredFileChunk, type StoredFileSource } from '../entities/stored-file.js';

const CHUNK_BYTES = 60 * 1024;

export interface NewFile {
  fileName: string;
  contentType: string;
  data: Buffer;
  owner: string;
  /** Default `export` (a file the bot made); `upload` counts against the member's daily cap. */
  source?: StoredFileSource;
  /**
   * When housekeeping deletes it (exports after a few days, a draft upload of a reply not yet
   * submitted after a day); omitted, it is kept with the record that refers to it.
   */
  expiresAt?: Date | null;
}

/** How long an export stays in the database after it was made (the member has it in WeCom by then). */
export const EXPORT_KEPT_MS = 7 * 86_400_000;

export async function saveFile(manager: EntityManager, file: NewFile): Promise<StoredFile> {
  const stored = await manager.getRepository(StoredFile).save(
    manager.getRepository(StoredFile).create({
      fileName: file.fileName,
      contentType: file.contentType,
      size: file.data.length,
      sha256: createHash('sha256').update(file.data).digest('hex'),
      owner: file.owner,
      mediaId: null,
      mediaUploadedAt: null,
      source: file.source ?? 'export',
      expiresAt: file.expiresAt ?? null,
    }),
  );
  const chunks: Partial<StoredFileChunk>[] = [];
  for (let offset = 0, seq = 0; offset < file.data.length || seq === 0; offset += CHUNK_BYTES, seq++) {
    chunks.push({ fileId: stored.id, seq, data: file.data.subarray(offset, offset + CHUNK_BYTES) });
  }
  await manager.getRepository(StoredFileChunk).insert(chunks);
  return stored;
}

/**
 * An .xlsx the bot built for `owner` (an export), stored to be sent as a file message and deleted
 * EXPORT_KEPT_MS after `now`.
 */
export async function saveXlsx(
  manager: EntityManager,
  file: { fileName: string; data: Buffer },
  owner: string,
  now: Date,
): Promise<StoredFile> {
  return saveFile(manager, {
    fileName: file.fileName,
    contentType: XLSX_CONTENT_TYPE,
    data: file.data,
    owner,
    expiresAt: new Date(now.getTime() + EXPORT_KEPT_MS),
  });
}

/** An exported Word document (导出本单位's 落实情况), kept as long as the other exports. */
export async function saveDocx(
  manager: EntityManager,
  file: { fileName: string; data: Buffer },
  owner: string,
  now: Date,
): Promise<StoredFile> {
  return saveFile(manager, {
    fileName: file.fileName,
    contentType: DOCX_CONTENT_TYPE,
    data: file.data,
    owner,
    expiresAt: new Date(now.getTime() + EXPORT_KEPT_MS),
  });
}

export const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export async function loadFile(
  manager: EntityManager,
  id: number,
): Promise<{ file: StoredFile; data: Buffer }> {
  const file = await manager.getRepository(StoredFile).findOneByOrFail({ id });
  const chunks = await manager
    .getRepository(StoredFileChunk)
    .find({ where: { fileId: id }, order: { seq: 'ASC' } });
  return { file, data: Buffer.concat(chunks.map((chunk) => Buffer.from(chunk.data))) };
}

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Draft uploads become kept files (the reply they belong to was submitted). */
export async function keepFiles(manager: EntityManager, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await manager.getRepository(StoredFile).update({ id: In([...ids]) }, { expiresAt: null });
}

/** Removes the given files that are still draft uploads (a kept file is never removed here). */
export async function deleteDraftFiles(manager: EntityManager, ids: readonly number[]): Promise<number> {
  if (ids.length === 0) return 0;
  const drafts = await manager.getRepository(StoredFile).find({
    select: { id: true },
    where: { id: In([...ids]), source: 'upload', expiresAt: Not(IsNull()) },
  });
  return deleteFiles(
    manager,
    drafts.map((file) => file.id),
  );
}

/** Housekeeping: files past their time (old exports, draft uploads whose dialog never finished). */
export async function deleteExpiredFiles(manager: EntityManager, now: Date): Promise<number> {
  const expired = await manager
    .getRepository(StoredFile)
    .find({ select: { id: true }, where: { expiresAt: LessThan(now) } });
  return deleteFiles(
    manager,
    expired.map((file) => file.id),
  );
}

async function deleteFiles(manager: EntityManager, ids: number[]): Promise<number> {
  if (ids.length === 0) return 0;
  await manager.getRepository(StoredFileChunk).delete({ fileId: In(ids) });
  await manager.getRepository(StoredFile).delete({ id: In(ids) });
  return ids.length;
}

/** Bytes `owner` uploaded since `since` (drafts included): the per-member daily cap. */
export async function uploadedBytesSince(
  manager: EntityManager,
  owner: string,
  since: Date,
): Promise<number> {
  const row = await manager
    .getRepository(StoredFile)
    .createQueryBuilder('f')
    .select('COALESCE(SUM(f.size), 0)', 'total')
    .where('f.owner = :owner AND f.source = :upload AND f.created_at >= :since', {
      owner,
      upload: 'upload',
      since,
    })
    .getRawOne<{ total: string | number }>();
  return Number(row?.total ?? 0);
}
