import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { CreatedAtColumn, UpdatedAtColumn } from './columns.js';

/** 区县 | 功能区 | 市直部门 | 其他 */
export type UnitKind = 'district' | 'zone' | 'department' | 'other';

export const UNIT_KIND_LABELS: Record<UnitKind, string> = {
  district: '区县',
  zone: '功能区',
  department: '市直部门',
  other: '其他',
};

/** A responsible unit. Sub-units (a district bureau) roll up to their top-level unit. */
@Entity('unit')
export class Unit {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Index({ unique: true })
  @Column('varchar', { length: 100 })
  name!: string;

  @Column('varchar', { length: 16 })
  kind!: UnitKind;

  @Column('int', { nullable: true })
  parentId!: number | null;

  @ManyToOne(() => Unit, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id' })
  parent?: Relation<Unit> | null;

  @Column('boolean', { default: true })
  active!: boolean;

  @CreatedAtColumn()
  createdAt!: Date;

  @UpdatedAtColumn()
  updatedAt!: Date;
}
