import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, InstantColumn } from './columns.js';

export type StoredFileSource = 'upload' | 'export';

/**
 * A file the bot produced (exports) or received (uploads), kept in the database so that every
 * instance can send it. The bytes live in chunks below the 64 KB of a portable BLOB.
 */
@Entity('stored_file')
@Index(['owner', 'source', 'createdAt'])
export class StoredFile {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('varchar', { length: 200 })
  fileName!: string;

  @Column('varchar', { length: 100 })
  contentType!: string;

  @Column('int')
  size!: number;

  @Column('varchar', { length: 64 })
  sha256!: string;

  /** Who produced or sent it (userid or system). */
  @Column('varchar', { length: 64 })
  owner!: string;

  /**
   * The temporary media id from media/upload (valid 3 days), reused so that a re-sent message is
   * byte-identical and WeCom's duplicate check recognises it.
   */
  @Column('varchar', { length: 256, nullable: true })
  mediaId!: string | null;

  @InstantColumn({ nullable: true })
  mediaUploadedAt!: Date | null;

  /** `upload`: a member sent it (counted against the daily cap); `export`: the bot made it. */
  @Column('varchar', { length: 16, default: 'export' })
  source!: StoredFileSource;

  /**
   * A file received for a dialog not yet finished (a 办理 reply being written): kept only when the
   * reply is submitted; otherwise `取消` or housekeeping after this instant removes it.
   */
  @InstantColumn({ nullable: true })
  @Index()
  draftUntil!: Date | null;

  @CreatedAtColumn()
  createdAt!: Date;
}

@Entity('stored_file_chunk')
@Index(['fileId', 'seq'], { unique: true })
export class StoredFileChunk {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('int')
  fileId!: number;

  @Column('int')
  seq!: number;

  @Column('blob')
  data!: Buffer;
}
