import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Jobs1795768928241 implements MigrationInterface {
  name = 'Jobs1795768928241';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`broadcast\` (\`id\` int NOT NULL AUTO_INCREMENT, \`content\` text NOT NULL, \`audience\` text NOT NULL, \`run_at\` datetime(3) NULL, \`cron\` varchar(64) NULL, \`working_days_only\` tinyint NOT NULL DEFAULT 0, \`schedule_text\` varchar(64) NOT NULL, \`status\` varchar(16) NOT NULL DEFAULT 'active', \`created_by\` varchar(64) NOT NULL, \`last_run_at\` datetime(3) NULL, \`checked_through\` datetime(3) NOT NULL, \`run_count\` int NOT NULL DEFAULT '0', \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`IDX_2b73b04c1c10573ead040bc9f8\` (\`status\`, \`run_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`job_run\` (\`job\` varchar(64) NOT NULL, \`fire_time\` datetime(3) NOT NULL, \`instance\` varchar(128) NOT NULL, \`status\` varchar(16) NOT NULL, \`started_at\` datetime(3) NOT NULL, \`finished_at\` datetime(3) NULL, \`result\` varchar(500) NULL, PRIMARY KEY (\`job\`, \`fire_time\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`unit_supervisor\` (\`id\` int NOT NULL AUTO_INCREMENT, \`unit_id\` int NOT NULL, \`userid\` varchar(64) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`IDX_63d349b7d51556fd38839a3385\` (\`unit_id\`, \`userid\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`IDX_63d349b7d51556fd38839a3385\` ON \`unit_supervisor\``);
    await queryRunner.query(`DROP TABLE \`unit_supervisor\``);
    await queryRunner.query(`DROP TABLE \`job_run\``);
    await queryRunner.query(`DROP INDEX \`IDX_2b73b04c1c10573ead040bc9f8\` ON \`broadcast\``);
    await queryRunner.query(`DROP TABLE \`broadcast\``);
  }
}
