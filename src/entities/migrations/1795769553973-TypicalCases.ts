import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TypicalCases1795769553973 implements MigrationInterface {
  name = 'TypicalCases1795769553973';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`case_call\` (\`id\` int NOT NULL AUTO_INCREMENT, \`title\` varchar(200) NOT NULL, \`deadline\` datetime(3) NOT NULL, \`deadline_estimated\` tinyint NOT NULL DEFAULT 0, \`quota_district\` int NOT NULL, \`quota_zone\` int NOT NULL, \`quota_department\` int NOT NULL, \`quota_other\` int NOT NULL, \`max_length\` int NOT NULL DEFAULT '150', \`themes\` text NOT NULL, \`status\` varchar(16) NOT NULL DEFAULT 'open', \`notice_id\` int NULL, \`created_by\` varchar(64) NOT NULL, \`closed_at\` datetime(3) NULL, \`closed_by\` varchar(64) NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`IDX_4c12dd97cc955e5d35640c9803\` (\`status\`, \`deadline\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`typical_case\` (\`id\` int NOT NULL AUTO_INCREMENT, \`call_id\` int NOT NULL, \`top_unit_id\` int NOT NULL, \`unit_id\` int NULL, \`theme\` varchar(32) NOT NULL, \`channel\` varchar(16) NOT NULL, \`website_id\` int NULL, \`media_account_id\` int NULL, \`title\` varchar(200) NOT NULL, \`text\` text NOT NULL, \`text_length\` int NOT NULL, \`submitted_by\` varchar(64) NOT NULL, \`submitted_at\` datetime(3) NOT NULL, \`status\` varchar(16) NOT NULL DEFAULT 'submitted', \`return_reason\` varchar(500) NULL, \`reviewed_by\` varchar(64) NULL, \`reviewed_at\` datetime(3) NULL, \`pii_accepted\` text NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`IDX_e498ecf32b12250a3801c75c9b\` (\`call_id\`, \`top_unit_id\`, \`status\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`IDX_e498ecf32b12250a3801c75c9b\` ON \`typical_case\``);
    await queryRunner.query(`DROP TABLE \`typical_case\``);
    await queryRunner.query(`DROP INDEX \`IDX_4c12dd97cc955e5d35640c9803\` ON \`case_call\``);
    await queryRunner.query(`DROP TABLE \`case_call\``);
  }
}
