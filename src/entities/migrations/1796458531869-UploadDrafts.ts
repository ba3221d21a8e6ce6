import type { MigrationInterface, QueryRunner } from 'typeorm';

export class UploadDrafts1796458531869 implements MigrationInterface {
  name = 'UploadDrafts1796458531869';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE \`stored_file\` ADD \`source\` varchar(16) NOT NULL DEFAULT 'export'`,
    );
    await queryRunner.query(
      `CREATE INDEX \`IDX_b7d1b4967ba0f3d6b234fa19ce\` ON \`stored_file\` (\`owner\`, \`source\`, \`created_at\`)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`IDX_b7d1b4967ba0f3d6b234fa19ce\` ON \`stored_file\``);
    await queryRunner.query(`ALTER TABLE \`stored_file\` DROP COLUMN \`source\``);
  }
}
