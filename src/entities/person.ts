import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { CreatedAtColumn, UpdatedAtColumn } from './columns.js';
import { Unit } from './unit.js';

/** 联络员 | 督办员 | 管理员 */
export type Role = 'liaison' | 'supervisor' | 'admin';

export const ROLE_LABELS: Record<Role, string> = {
  liaison: '联络员',
  supervisor: '督办员',
  admin: '管理员',
};

/** Someone the bot knows, keyed by WeCom userid. */
@Entity('person')
export class Person {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Index({ unique: true })
  @Column('varchar', { length: 64 })
  userid!: string;

  @Column('varchar', { length: 64 })
  name!: string;

  @Index()
  @Column('int', { nullable: true })
  unitId!: number | null;

  @ManyToOne(() => Unit, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id' })
  unit?: Relation<Unit> | null;

  @Column('varchar', { length: 16 })
  role!: Role;

  @Column('varchar', { length: 20, nullable: true })
  mobile!: string | null;

  @Column('boolean', { default: true })
  active!: boolean;

  @CreatedAtColumn()
  createdAt!: Date;

  @UpdatedAtColumn()
  updatedAt!: Date;
}
