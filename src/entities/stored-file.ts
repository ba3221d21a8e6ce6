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

  /**
   * When housekeeping deletes the file: exports a few days after they were made (the member has
   * them in WeCom by then), uploads of a reply that was never submitted a day later. Null: kept
   * with the record that refers to it (a task reply's attachment, a notice's source).
   */
  @Index()
  @InstantColumn({ nullable: true })
  expiresAt!: Date | null;

  /** `upload`: a member sent it (counted against the daily cap); `export`: the bot made it. */
  @Column('varchar', { length: 16, default: 'export' })
  source!: StoredFileSource;

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
