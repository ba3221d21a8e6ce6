import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row (id 1) whose version moves, in the same transaction, with every change the bot makes to
 * the unit table: the pipeline's cached unit tree is read again when it moves, on every instance
 * (src/app/asker.ts, src/db/unit-version.ts).
 */
@Entity('unit_version')
export class UnitVersion {
  @PrimaryColumn('int')
  id!: number;

  @Column('int', { default: 0 })
  version!: number;
}
