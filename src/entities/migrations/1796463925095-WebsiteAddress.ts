import type { MigrationInterface, QueryRunner } from 'typeorm';

export class WebsiteAddress1796463925095 implements MigrationInterface {
  name = 'WebsiteAddress1796463925095';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`website\` ADD \`home_url\` varchar(300) NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`website\` DROP COLUMN \`home_url\``);
  }
}
