import type { MigrationInterface, QueryRunner } from 'typeorm';

export class GuestbookFilingsDomains1795768891610 implements MigrationInterface {
  name = 'GuestbookFilingsDomains1795768891610';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`account_filing\` (\`id\` int NOT NULL AUTO_INCREMENT, \`action\` varchar(16) NOT NULL, \`platform\` varchar(16) NOT NULL, \`account_name\` varchar(100) NOT NULL, \`previous_name\` varchar(100) NULL, \`media_account_id\` int NULL, \`unit_id\` int NOT NULL, \`top_unit_id\` int NOT NULL, \`change_date\` varchar(10) NOT NULL, \`announcement\` text NULL, \`deadline\` datetime(3) NOT NULL, \`deadline_estimated\` tinyint NOT NULL DEFAULT 0, \`status\` varchar(16) NOT NULL DEFAULT 'submitted', \`submitted_by\` varchar(64) NOT NULL, \`submitted_at\` datetime(3) NOT NULL, \`decided_by\` varchar(64) NULL, \`decided_at\` datetime(3) NULL, \`reject_reason\` text NULL, \`pii_accepted\` text NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`IDX_86bbd0fa8fcb36c1379ccc9011\` (\`media_account_id\`), INDEX \`IDX_cfab274324be58186c98d57778\` (\`top_unit_id\`, \`status\`), INDEX \`IDX_5822b4a9063d8a8465287e9962\` (\`status\`, \`deadline\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`domain_allocation\` (\`id\` int NOT NULL AUTO_INCREMENT, \`subdomain\` varchar(63) NOT NULL, \`active_key\` varchar(63) NULL, \`unit_id\` int NOT NULL, \`top_unit_id\` int NOT NULL, \`website_id\` int NULL, \`purpose\` text NOT NULL, \`status\` varchar(16) NOT NULL DEFAULT 'pending', \`requested_by\` varchar(64) NOT NULL, \`requested_at\` datetime(3) NOT NULL, \`decided_by\` varchar(64) NULL, \`decided_at\` datetime(3) NULL, \`decision_note\` text NULL, \`allocated_at\` datetime(3) NULL, \`revoked_by\` varchar(64) NULL, \`revoked_at\` datetime(3) NULL, \`revoke_reason\` text NULL, \`pii_accepted\` text NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX \`IDX_a883e95117748f602a7ec2c5fb\` (\`active_key\`), INDEX \`IDX_41bcb0c3158d295f35ab329ea4\` (\`top_unit_id\`), INDEX \`IDX_dcd29a8efa64e35e107101c0a5\` (\`status\`, \`subdomain\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`guestbook_message\` (\`id\` int NOT NULL AUTO_INCREMENT, \`platform_no\` varchar(64) NULL, \`website_id\` int NOT NULL, \`top_unit_id\` int NOT NULL, \`received_at\` datetime(3) NOT NULL, \`summary\` text NOT NULL, \`deadline\` datetime(3) NOT NULL, \`deadline_estimated\` tinyint NOT NULL DEFAULT 0, \`status\` varchar(16) NOT NULL DEFAULT 'open', \`answer_summary\` text NULL, \`answered_by\` varchar(64) NULL, \`answered_at\` datetime(3) NULL, \`source\` varchar(16) NOT NULL, \`registered_by\` varchar(64) NOT NULL, \`summary_pii\` text NULL, \`answer_pii\` text NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX \`IDX_e857bd632fe61f6e7508187172\` (\`platform_no\`), INDEX \`IDX_b9dd1196f69dd0a1ce31486708\` (\`website_id\`), INDEX \`IDX_68fe6a33c7d9c4a3593d78678d\` (\`top_unit_id\`, \`status\`), INDEX \`IDX_1bcc0f27e4e3b052622fe43077\` (\`status\`, \`deadline\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`IDX_1bcc0f27e4e3b052622fe43077\` ON \`guestbook_message\``);
    await queryRunner.query(`DROP INDEX \`IDX_68fe6a33c7d9c4a3593d78678d\` ON \`guestbook_message\``);
    await queryRunner.query(`DROP INDEX \`IDX_b9dd1196f69dd0a1ce31486708\` ON \`guestbook_message\``);
    await queryRunner.query(`DROP INDEX \`IDX_e857bd632fe61f6e7508187172\` ON \`guestbook_message\``);
    await queryRunner.query(`DROP TABLE \`guestbook_message\``);
    await queryRunner.query(`DROP INDEX \`IDX_dcd29a8efa64e35e107101c0a5\` ON \`domain_allocation\``);
    await queryRunner.query(`DROP INDEX \`IDX_41bcb0c3158d295f35ab329ea4\` ON \`domain_allocation\``);
    await queryRunner.query(`DROP INDEX \`IDX_a883e95117748f602a7ec2c5fb\` ON \`domain_allocation\``);
    await queryRunner.query(`DROP TABLE \`domain_allocation\``);
    await queryRunner.query(`DROP INDEX \`IDX_5822b4a9063d8a8465287e9962\` ON \`account_filing\``);
    await queryRunner.query(`DROP INDEX \`IDX_cfab274324be58186c98d57778\` ON \`account_filing\``);
    await queryRunner.query(`DROP INDEX \`IDX_86bbd0fa8fcb36c1379ccc9011\` ON \`account_filing\``);
    await queryRunner.query(`DROP TABLE \`account_filing\``);
  }
}
