import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TaskBatches1795771039993 implements MigrationInterface {
  name = 'TaskBatches1795771039993';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`task\` ADD \`batch\` int NOT NULL DEFAULT '0'`);
    // Tasks created before batches were recorded: the tasks of one assignment share notice, kind,
    // title, creator and assignment instant; each group takes its first task's id.
    await queryRunner.query(
      `UPDATE \`task\` t JOIN (SELECT MIN(id) AS first_id, notice_id, kind, title, created_by, assigned_at ` +
        `FROM \`task\` WHERE batch = 0 GROUP BY notice_id, kind, title, created_by, assigned_at) g ` +
        `ON t.notice_id <=> g.notice_id AND t.kind = g.kind AND t.title = g.title ` +
        `AND t.created_by = g.created_by AND t.assigned_at = g.assigned_at ` +
        `SET t.batch = g.first_id WHERE t.batch = 0`,
    );
    await queryRunner.query(
      `CREATE INDEX \`IDX_00e54abeb52b6badad7db3d9d1\` ON \`task\` (\`batch\`, \`status\`, \`deadline\`, \`submitted_at\`)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`IDX_00e54abeb52b6badad7db3d9d1\` ON \`task\``);
    await queryRunner.query(`ALTER TABLE \`task\` DROP COLUMN \`batch\``);
  }
}
