import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ProvisionalDeadlines1796458761942 implements MigrationInterface {
  name = 'ProvisionalDeadlines1796458761942';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`case_call\` ADD \`deadline_working_days\` int NULL`);
    await queryRunner.query(`ALTER TABLE \`case_call\` ADD \`deadline_counted_from\` datetime(3) NULL`);
    await queryRunner.query(`ALTER TABLE \`extension_request\` ADD \`requested_working_days\` int NULL`);
    await queryRunner.query(`ALTER TABLE \`task\` ADD \`deadline_working_days\` int NULL`);
    await queryRunner.query(`ALTER TABLE \`task\` ADD \`deadline_counted_from\` datetime(3) NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`task\` DROP COLUMN \`deadline_counted_from\``);
    await queryRunner.query(`ALTER TABLE \`task\` DROP COLUMN \`deadline_working_days\``);
    await queryRunner.query(`ALTER TABLE \`extension_request\` DROP COLUMN \`requested_working_days\``);
    await queryRunner.query(`ALTER TABLE \`case_call\` DROP COLUMN \`deadline_counted_from\``);
    await queryRunner.query(`ALTER TABLE \`case_call\` DROP COLUMN \`deadline_working_days\``);
  }
}
