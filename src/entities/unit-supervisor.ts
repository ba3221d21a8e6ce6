import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn } from './columns.js';

/** A supervisor assigned to oversee a top-level unit (分管): escalations about the unit go to them. */
@Entity('unit_supervisor')
@Index(['unitId', 'userid'], { unique: true })
export class UnitSupervisor {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('int')
  unitId!: number;

  @Column('varchar', { length: 64 })
  userid!: string;

  @CreatedAtColumn()
  createdAt!: Date;
}
