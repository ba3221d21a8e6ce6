import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn } from './columns.js';

/** A WeCom group robot (消息推送 webhook) that broadcasts can target. */
@Entity('group_robot')
export class GroupRobot {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Index({ unique: true })
  @Column('varchar', { length: 64 })
  name!: string;

  /** The webhook key is the credential: never logged, never shown back in full. */
  @Column('varchar', { length: 128 })
  webhookKey!: string;

  @Column('varchar', { length: 64 })
  createdBy!: string;

  @Column('boolean', { default: true })
  active!: boolean;

  @CreatedAtColumn()
  createdAt!: Date;
}
