import type { MigrationInterface, QueryRunner } from 'typeorm';

export class UnitVersion1796465799885 implements MigrationInterface {
  name = 'UnitVersion1796465799885';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`unit_version\` (\`id\` int NOT NULL, \`version\` int NOT NULL DEFAULT '0', PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(`INSERT INTO \`unit_version\` (\`id\`, \`version\`) VALUES (1, 0)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE \`unit_version\``);
  }
}
