import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Directory1795768539469 implements MigrationInterface {
  name = 'Directory1795768539469';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`media_account\` (\`id\` int NOT NULL AUTO_INCREMENT, \`platform\` varchar(16) NOT NULL, \`name\` varchar(100) NOT NULL, \`unit_id\` int NOT NULL, \`status\` varchar(16) NOT NULL DEFAULT 'running', \`consolidation_candidate\` tinyint NOT NULL DEFAULT 0, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`IDX_a9f5639edb4dbaae2dab2e5b38\` (\`unit_id\`), UNIQUE INDEX \`IDX_cc704ff0e813543f69ae74e1d7\` (\`platform\`, \`name\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`website\` (\`id\` int NOT NULL AUTO_INCREMENT, \`name\` varchar(100) NOT NULL, \`site_code\` varchar(32) NOT NULL, \`domain\` varchar(200) NOT NULL, \`unit_id\` int NOT NULL, \`status\` varchar(16) NOT NULL DEFAULT 'active', \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX \`IDX_a56e9d567d667a16a4d04455db\` (\`site_code\`), INDEX \`IDX_50792c1a00a09c092d9bd898ae\` (\`unit_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`IDX_50792c1a00a09c092d9bd898ae\` ON \`website\``);
    await queryRunner.query(`DROP INDEX \`IDX_a56e9d567d667a16a4d04455db\` ON \`website\``);
    await queryRunner.query(`DROP TABLE \`website\``);
    await queryRunner.query(`DROP INDEX \`IDX_cc704ff0e813543f69ae74e1d7\` ON \`media_account\``);
    await queryRunner.query(`DROP INDEX \`IDX_a9f5639edb4dbaae2dab2e5b38\` ON \`media_account\``);
    await queryRunner.query(`DROP TABLE \`media_account\``);
  }
}
