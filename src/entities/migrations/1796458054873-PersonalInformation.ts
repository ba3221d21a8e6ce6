import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PersonalInformation1796458054873 implements MigrationInterface {
  name = 'PersonalInformation1796458054873';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`board_session\` (\`token_hash\` varchar(64) NOT NULL, \`userid\` varchar(64) NOT NULL, \`role\` varchar(16) NOT NULL, \`expires_at\` datetime(3) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`IDX_2214dc2d22feccb1ade3d608f9\` (\`userid\`), INDEX \`IDX_0268f0a93f6cd3b27d41505385\` (\`expires_at\`), PRIMARY KEY (\`token_hash\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(`ALTER TABLE \`audit_log\` ADD \`count\` int NOT NULL DEFAULT '1'`);
    await queryRunner.query(`ALTER TABLE \`stored_file\` ADD \`expires_at\` datetime(3) NULL`);
    await queryRunner.query(`ALTER TABLE \`inbound_message\` CHANGE \`xml\` \`xml\` text NULL`);
    await queryRunner.query(
      `CREATE INDEX \`IDX_954fc554d1701851bc9def4aa7\` ON \`stored_file\` (\`expires_at\`)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`IDX_954fc554d1701851bc9def4aa7\` ON \`stored_file\``);
    await queryRunner.query(`ALTER TABLE \`inbound_message\` CHANGE \`xml\` \`xml\` text NOT NULL`);
    await queryRunner.query(`ALTER TABLE \`stored_file\` DROP COLUMN \`expires_at\``);
    await queryRunner.query(`ALTER TABLE \`audit_log\` DROP COLUMN \`count\``);
    await queryRunner.query(`DROP INDEX \`IDX_0268f0a93f6cd3b27d41505385\` ON \`board_session\``);
    await queryRunner.query(`DROP INDEX \`IDX_2214dc2d22feccb1ade3d608f9\` ON \`board_session\``);
    await queryRunner.query(`DROP TABLE \`board_session\``);
  }
}
