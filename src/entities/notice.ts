import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn } from './columns.js';

/** 通报/通知: a document from the office that groups the tasks it gives rise to. */
@Entity('notice')
export class Notice {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('varchar', { length: 200 })
  title!: string;

  @Column('text')
  body!: string;

  /** The issuing office, e.g. 淄博市人民政府办公室 (when the text names it). */
  @Column('varchar', { length: 100, nullable: true })
  issuer!: string | null;

  /** The date on the document, `YYYY-MM-DD` (when the text carries one). */
  @Column('varchar', { length: 10, nullable: true })
  issuedOn!: string | null;

  /** The uploaded .docx/.txt it was read from (a stored_file id). */
  @Column('int', { nullable: true })
  sourceFileId!: number | null;

  @Column('varchar', { length: 64 })
  createdBy!: string;

  @CreatedAtColumn()
  createdAt!: Date;
}
