import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DomainZonesGuestbookReview1796469642331 implements MigrationInterface {
  name = 'DomainZonesGuestbookReview1796469642331';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`domain_zone\` (\`id\` int NOT NULL AUTO_INCREMENT, \`zone\` varchar(190) NOT NULL, \`top_unit_id\` int NOT NULL, \`created_by\` varchar(64) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`IDX_fd19043e64cb90e967207293f6\` (\`zone\`), INDEX \`IDX_332d944bd20a8b1601150f379c\` (\`top_unit_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`domain_approver\` (\`id\` int NOT NULL AUTO_INCREMENT, \`top_unit_id\` int NOT NULL, \`userid\` varchar(64) NOT NULL, \`created_by\` varchar(64) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`IDX_fb44b217d82742287e6dd50465\` (\`userid\`), UNIQUE INDEX \`IDX_67799735a253c1fc300c5df406\` (\`top_unit_id\`, \`userid\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`guestbook_review_setting\` (\`id\` int NOT NULL AUTO_INCREMENT, \`scope_key\` varchar(32) NOT NULL, \`top_unit_id\` int NULL, \`enabled\` tinyint NOT NULL, \`set_by\` varchar(64) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX \`IDX_768508566dde946a100cfc84fa\` (\`scope_key\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `ALTER TABLE \`domain_allocation\` ADD \`zone\` varchar(190) NOT NULL DEFAULT 'zibo.gov.cn'`,
    );
    await queryRunner.query(`ALTER TABLE \`domain_allocation\` ADD \`reserved_key\` varchar(254) NULL`);
    // Names already held keep their hold: in use (active_key was the label under zibo.gov.cn), and
    // the earliest waiting request of a name nobody holds (older rows could hold duplicates).
    await queryRunner.query(
      `UPDATE \`domain_allocation\` SET \`reserved_key\` = CONCAT(\`active_key\`, '.zibo.gov.cn') WHERE \`active_key\` IS NOT NULL`,
    );
    await queryRunner.query(
      `UPDATE \`domain_allocation\` d JOIN (SELECT MIN(p.\`id\`) AS \`id\` FROM \`domain_allocation\` p WHERE p.\`status\` = 'pending' AND p.\`subdomain\` NOT IN (SELECT a.\`active_key\` FROM \`domain_allocation\` a WHERE a.\`active_key\` IS NOT NULL) GROUP BY p.\`subdomain\`) m ON m.\`id\` = d.\`id\` SET d.\`reserved_key\` = CONCAT(d.\`subdomain\`, '.zibo.gov.cn')`,
    );
    await queryRunner.query(
      `ALTER TABLE \`domain_allocation\` ADD UNIQUE INDEX \`IDX_966affdcdf266893e32e08094e\` (\`reserved_key\`)`,
    );
    await queryRunner.query(`DROP INDEX \`IDX_a883e95117748f602a7ec2c5fb\` ON \`domain_allocation\``);
    await queryRunner.query(`ALTER TABLE \`domain_allocation\` DROP COLUMN \`active_key\``);
    await queryRunner.query(`ALTER TABLE \`guestbook_message\` ADD \`review_status\` varchar(16) NULL`);
    await queryRunner.query(`ALTER TABLE \`guestbook_message\` ADD \`reviewed_by\` varchar(64) NULL`);
    await queryRunner.query(`ALTER TABLE \`guestbook_message\` ADD \`reviewed_at\` datetime(3) NULL`);
    await queryRunner.query(`ALTER TABLE \`guestbook_message\` ADD \`return_reason\` text NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`guestbook_message\` DROP COLUMN \`return_reason\``);
    await queryRunner.query(`ALTER TABLE \`guestbook_message\` DROP COLUMN \`reviewed_at\``);
    await queryRunner.query(`ALTER TABLE \`guestbook_message\` DROP COLUMN \`reviewed_by\``);
    await queryRunner.query(`ALTER TABLE \`guestbook_message\` DROP COLUMN \`review_status\``);
    await queryRunner.query(`ALTER TABLE \`domain_allocation\` ADD \`active_key\` varchar(63) NULL`);
    await queryRunner.query(
      `UPDATE \`domain_allocation\` SET \`active_key\` = \`subdomain\` WHERE \`status\` = 'active' AND \`zone\` = 'zibo.gov.cn'`,
    );
    await queryRunner.query(
      `ALTER TABLE \`domain_allocation\` DROP INDEX \`IDX_966affdcdf266893e32e08094e\``,
    );
    await queryRunner.query(`ALTER TABLE \`domain_allocation\` DROP COLUMN \`reserved_key\``);
    await queryRunner.query(`ALTER TABLE \`domain_allocation\` DROP COLUMN \`zone\``);
    await queryRunner.query(`DROP INDEX \`IDX_768508566dde946a100cfc84fa\` ON \`guestbook_review_setting\``);
    await queryRunner.query(`DROP TABLE \`guestbook_review_setting\``);
    await queryRunner.query(`DROP INDEX \`IDX_67799735a253c1fc300c5df406\` ON \`domain_approver\``);
    await queryRunner.query(`DROP INDEX \`IDX_fb44b217d82742287e6dd50465\` ON \`domain_approver\``);
    await queryRunner.query(`DROP TABLE \`domain_approver\``);
    await queryRunner.query(`DROP INDEX \`IDX_332d944bd20a8b1601150f379c\` ON \`domain_zone\``);
    await queryRunner.query(`DROP INDEX \`IDX_fd19043e64cb90e967207293f6\` ON \`domain_zone\``);
    await queryRunner.query(`DROP TABLE \`domain_zone\``);
    await queryRunner.query(
      `CREATE UNIQUE INDEX \`IDX_a883e95117748f602a7ec2c5fb\` ON \`domain_allocation\` (\`active_key\`)`,
    );
  }
}
