import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DialogActor1796457834400 implements MigrationInterface {
  name = 'DialogActor1796457834400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`conversation_state\` ADD \`role\` varchar(16) NULL`);
    await queryRunner.query(`ALTER TABLE \`conversation_state\` ADD \`unit_id\` int NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`conversation_state\` DROP COLUMN \`unit_id\``);
    await queryRunner.query(`ALTER TABLE \`conversation_state\` DROP COLUMN \`role\``);
  }
}
