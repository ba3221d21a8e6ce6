import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Reposts1796471336904 implements MigrationInterface {
  name = 'Reposts1796471336904';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`repost_assignment\` (\`id\` int NOT NULL AUTO_INCREMENT, \`item_id\` int NOT NULL, \`unit_id\` int NOT NULL, \`status\` varchar(16) NOT NULL DEFAULT 'pending', \`deadline\` datetime(3) NOT NULL, \`deadline_estimated\` tinyint NOT NULL DEFAULT 0, \`done_at\` datetime(3) NULL, \`done_by\` varchar(64) NULL, \`checked_at\` datetime(3) NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`IDX_55b0adbad67b53aed5fbfc8cce\` (\`status\`, \`deadline\`), INDEX \`IDX_6184e19da2bd3840bd323e3dc0\` (\`unit_id\`, \`status\`), UNIQUE INDEX \`IDX_2774cc08ec0c27eec8cbe0ebbf\` (\`item_id\`, \`unit_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`repost_item\` (\`id\` int NOT NULL AUTO_INCREMENT, \`batch\` int NOT NULL DEFAULT '0', \`title\` varchar(200) NOT NULL, \`source_url\` varchar(1000) NOT NULL, \`publisher\` varchar(100) NULL, \`channels\` varchar(16) NOT NULL, \`deadline\` datetime(3) NOT NULL, \`deadline_estimated\` tinyint NOT NULL DEFAULT 0, \`created_by\` varchar(64) NOT NULL, \`assigned_at\` datetime(3) NOT NULL, \`discovery_requested_at\` datetime(3) NULL, \`discovery_requested_by\` varchar(64) NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`IDX_598ae56d045de86a6d2af8d363\` (\`batch\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`repost_link\` (\`id\` int NOT NULL AUTO_INCREMENT, \`assignment_id\` int NOT NULL, \`item_id\` int NOT NULL, \`unit_id\` int NOT NULL, \`url\` varchar(1000) NOT NULL, \`final_url\` varchar(1000) NULL, \`page_title\` varchar(200) NULL, \`similarity\` int NULL, \`outcome\` varchar(16) NOT NULL, \`reason\` varchar(16) NULL, \`detail\` varchar(200) NULL, \`channel\` varchar(16) NULL, \`source\` varchar(16) NOT NULL, \`submitted_by\` varchar(64) NOT NULL, \`submitted_at\` datetime(3) NOT NULL, \`decided_by\` varchar(64) NULL, \`decided_at\` datetime(3) NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`IDX_6fd24b3977f7036d020656357f\` (\`outcome\`), INDEX \`IDX_c2df9d00e4ac829ab626c15d85\` (\`assignment_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`IDX_c2df9d00e4ac829ab626c15d85\` ON \`repost_link\``);
    await queryRunner.query(`DROP INDEX \`IDX_6fd24b3977f7036d020656357f\` ON \`repost_link\``);
    await queryRunner.query(`DROP TABLE \`repost_link\``);
    await queryRunner.query(`DROP INDEX \`IDX_598ae56d045de86a6d2af8d363\` ON \`repost_item\``);
    await queryRunner.query(`DROP TABLE \`repost_item\``);
    await queryRunner.query(`DROP INDEX \`IDX_2774cc08ec0c27eec8cbe0ebbf\` ON \`repost_assignment\``);
    await queryRunner.query(`DROP INDEX \`IDX_6184e19da2bd3840bd323e3dc0\` ON \`repost_assignment\``);
    await queryRunner.query(`DROP INDEX \`IDX_55b0adbad67b53aed5fbfc8cce\` ON \`repost_assignment\``);
    await queryRunner.query(`DROP TABLE \`repost_assignment\``);
  }
}
