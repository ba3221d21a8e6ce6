import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InboundPassiveReply1795769393307 implements MigrationInterface {
  name = 'InboundPassiveReply1795769393307';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`inbound_message\` ADD \`passive_reply\` text NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`inbound_message\` DROP COLUMN \`passive_reply\``);
  }
}
