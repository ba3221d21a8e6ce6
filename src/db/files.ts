// Files kept in the database (exports the bot makes, uploads it receives), in portable chunks.
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { StoredFile, StoredFileChunk } from '../entities/stored-file.js';

const CHUNK_BYTES = 60 * 1024;

export interface NewFile {
  fileName: string;
  contentType: string;
  data: Buffer;
  owner: string;
  /** When housekeeping may delete it; omitted, it is kept with the record that refers to it. */
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
