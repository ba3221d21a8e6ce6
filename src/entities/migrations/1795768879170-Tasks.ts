import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Tasks1795768879170 implements MigrationInterface {
  name = 'Tasks1795768879170';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`extension_request\` (\`id\` int NOT NULL AUTO_INCREMENT, \`task_id\` int NOT NULL, \`requested_by\` varchar(64) NOT NULL, \`reason\` text NOT NULL, \`pii_findings\` text NOT NULL, \`previous_deadline\` datetime(3) NOT NULL, \`requested_deadline\` datetime(3) NOT NULL, \`requested_estimated\` tinyint NOT NULL DEFAULT 0, \`status\` varchar(16) NOT NULL, \`requested_at\` datetime(3) NOT NULL, \`decided_by\` varchar(64) NULL, \`decision_reason\` text NULL, \`decided_at\` datetime(3) NULL, INDEX \`IDX_36a548f532ea1ba93540779832\` (\`task_id\`, \`status\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`notice\` (\`id\` int NOT NULL AUTO_INCREMENT, \`title\` varchar(200) NOT NULL, \`body\` text NOT NULL, \`issuer\` varchar(100) NULL, \`issued_on\` varchar(10) NULL, \`source_file_id\` int NULL, \`created_by\` varchar(64) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`task\` (\`id\` int NOT NULL AUTO_INCREMENT, \`kind\` varchar(16) NOT NULL, \`title\` varchar(200) NOT NULL, \`detail\` text NOT NULL, \`unit_id\` int NOT NULL, \`notice_id\` int NULL, \`deadline\` datetime(3) NOT NULL, \`deadline_estimated\` tinyint NOT NULL DEFAULT 0, \`status\` varchar(16) NOT NULL, \`created_by\` varchar(64) NOT NULL, \`assigned_at\` datetime(3) NOT NULL, \`submitted_at\` datetime(3) NULL, \`done_at\` datetime(3) NULL, \`return_reason\` text NULL, \`returned_at\` datetime(3) NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`IDX_13618254647abd2e59105349d5\` (\`notice_id\`), INDEX \`IDX_60788ae577fb6460fc0386abda\` (\`status\`, \`deadline\`), INDEX \`IDX_491c336f202f60e6472f7fac95\` (\`unit_id\`, \`status\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`task_reply\` (\`id\` int NOT NULL AUTO_INCREMENT, \`task_id\` int NOT NULL, \`userid\` varchar(64) NOT NULL, \`text\` text NOT NULL, \`file_ids\` text NOT NULL, \`pii_findings\` text NOT NULL, \`submitted_at\` datetime(3) NOT NULL, INDEX \`IDX_ecbd0656715483eff5cdd9e25c\` (\`task_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`task_review\` (\`id\` int NOT NULL AUTO_INCREMENT, \`task_id\` int NOT NULL, \`reply_id\` int NOT NULL, \`reviewer\` varchar(64) NOT NULL, \`decision\` varchar(16) NOT NULL, \`reason\` text NULL, \`reviewed_at\` datetime(3) NOT NULL, INDEX \`IDX_433c85d804052a9f848f912273\` (\`task_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`IDX_433c85d804052a9f848f912273\` ON \`task_review\``);
    await queryRunner.query(`DROP TABLE \`task_review\``);
    await queryRunner.query(`DROP INDEX \`IDX_ecbd0656715483eff5cdd9e25c\` ON \`task_reply\``);
    await queryRunner.query(`DROP TABLE \`task_reply\``);
    await queryRunner.query(`DROP INDEX \`IDX_491c336f202f60e6472f7fac95\` ON \`task\``);
    await queryRunner.query(`DROP INDEX \`IDX_60788ae577fb6460fc0386abda\` ON \`task\``);
    await queryRunner.query(`DROP INDEX \`IDX_13618254647abd2e59105349d5\` ON \`task\``);
    await queryRunner.query(`DROP TABLE \`task\``);
    await queryRunner.query(`DROP TABLE \`notice\``);
    await queryRunner.query(`DROP INDEX \`IDX_36a548f532ea1ba93540779832\` ON \`extension_request\``);
    await queryRunner.query(`DROP TABLE \`extension_request\``);
  }
}
