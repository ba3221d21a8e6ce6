import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1795768225085 implements MigrationInterface {
  name = 'Foundation1795768225085';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`audit_log\` (\`id\` int NOT NULL AUTO_INCREMENT, \`at\` datetime(3) NOT NULL, \`actor\` varchar(64) NOT NULL, \`action\` varchar(64) NOT NULL, \`target\` varchar(128) NOT NULL, \`result\` varchar(16) NOT NULL, \`detail\` text NULL, INDEX \`IDX_ba27cef5b8b2b1a756e06ebcc5\` (\`at\`), INDEX \`IDX_55514896b5dde961b71923664b\` (\`target\`, \`at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`calendar_day\` (\`date\` varchar(10) NOT NULL, \`source\` varchar(16) NOT NULL, \`is_off_day\` tinyint NOT NULL, \`name\` varchar(64) NOT NULL, \`updated_at\` datetime(3) NOT NULL, PRIMARY KEY (\`date\`, \`source\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`calendar_year\` (\`year\` int NOT NULL, \`imported_at\` datetime(3) NOT NULL, \`imported_by\` varchar(64) NOT NULL, \`day_count\` int NOT NULL, PRIMARY KEY (\`year\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`conversation_state\` (\`userid\` varchar(64) NOT NULL, \`flow\` varchar(48) NOT NULL, \`step\` varchar(48) NOT NULL, \`data\` text NOT NULL, \`version\` int NOT NULL, \`expires_at\` datetime(3) NOT NULL, \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), PRIMARY KEY (\`userid\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`group_robot\` (\`id\` int NOT NULL AUTO_INCREMENT, \`name\` varchar(64) NOT NULL, \`webhook_key\` varchar(128) NOT NULL, \`created_by\` varchar(64) NOT NULL, \`active\` tinyint NOT NULL DEFAULT 1, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`IDX_4f9271a66728b5202300914850\` (\`name\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`inbound_message\` (\`id\` int NOT NULL AUTO_INCREMENT, \`dedupe_key\` varchar(80) NOT NULL, \`from_user\` varchar(64) NOT NULL, \`msg_type\` varchar(32) NOT NULL, \`event\` varchar(64) NULL, \`xml\` text NOT NULL, \`status\` varchar(16) NOT NULL DEFAULT 'received', \`attempts\` int NOT NULL DEFAULT '0', \`error\` varchar(500) NULL, \`received_at\` datetime(3) NOT NULL, \`handled_at\` datetime(3) NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`IDX_448d655b1fb009746bd5d36234\` (\`dedupe_key\`), INDEX \`IDX_2e50d072ee2253e43642984441\` (\`status\`, \`received_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`lease\` (\`name\` varchar(64) NOT NULL, \`owner\` varchar(128) NULL, \`until\` datetime(3) NULL, PRIMARY KEY (\`name\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`outbox_message\` (\`id\` int NOT NULL AUTO_INCREMENT, \`idempotency_key\` varchar(160) NOT NULL, \`channel\` varchar(16) NOT NULL, \`recipient\` varchar(64) NOT NULL, \`payload\` text NOT NULL, \`payload_hash\` varchar(40) NOT NULL, \`source\` varchar(64) NOT NULL, \`order_group\` varchar(64) NULL, \`order_index\` int NOT NULL DEFAULT '0', \`duplicate_check_interval\` int NOT NULL DEFAULT '1800', \`status\` varchar(16) NOT NULL DEFAULT 'pending', \`attempts\` int NOT NULL DEFAULT '0', \`next_attempt_at\` datetime(3) NOT NULL, \`claimed_at\` datetime(3) NULL, \`lease_until\` datetime(3) NULL, \`batch_id\` varchar(40) NULL, \`sent_at\` datetime(3) NULL, \`msgid\` varchar(128) NULL, \`response_code\` varchar(256) NULL, \`last_errcode\` int NULL, \`last_error\` varchar(500) NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`IDX_561d969df672397b5f9a456bed\` (\`idempotency_key\`), INDEX \`IDX_b9b29d6db6e57b0b61cc00c6fb\` (\`source\`), INDEX \`IDX_9e44314b4db9fb7ee01d24b161\` (\`order_group\`, \`order_index\`), INDEX \`IDX_9976a0de5598d35c05b0de8f5d\` (\`recipient\`, \`claimed_at\`), INDEX \`IDX_3e1d188faf16b1e79c1c4ef3e1\` (\`status\`, \`next_attempt_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`unit\` (\`id\` int NOT NULL AUTO_INCREMENT, \`name\` varchar(100) NOT NULL, \`kind\` varchar(16) NOT NULL, \`parent_id\` int NULL, \`active\` tinyint NOT NULL DEFAULT 1, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX \`IDX_5618100486bb99d78de022e582\` (\`name\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`person\` (\`id\` int NOT NULL AUTO_INCREMENT, \`userid\` varchar(64) NOT NULL, \`name\` varchar(64) NOT NULL, \`unit_id\` int NULL, \`role\` varchar(16) NOT NULL, \`mobile\` varchar(20) NULL, \`active\` tinyint NOT NULL DEFAULT 1, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX \`IDX_768408bebb9db637480711c28e\` (\`userid\`), INDEX \`IDX_1ccc95c9861eb01e5303cf22e3\` (\`unit_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`stored_file\` (\`id\` int NOT NULL AUTO_INCREMENT, \`file_name\` varchar(200) NOT NULL, \`content_type\` varchar(100) NOT NULL, \`size\` int NOT NULL, \`sha256\` varchar(64) NOT NULL, \`owner\` varchar(64) NOT NULL, \`media_id\` varchar(256) NULL, \`media_uploaded_at\` datetime(3) NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`stored_file_chunk\` (\`id\` int NOT NULL AUTO_INCREMENT, \`file_id\` int NOT NULL, \`seq\` int NOT NULL, \`data\` blob NOT NULL, UNIQUE INDEX \`IDX_fdfa82f95421f9605be14a8961\` (\`file_id\`, \`seq\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`wecom_token\` (\`app_key\` varchar(64) NOT NULL, \`access_token\` varchar(1024) NULL, \`expires_at\` datetime(3) NULL, \`refreshing_until\` datetime(3) NULL, PRIMARY KEY (\`app_key\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `ALTER TABLE \`unit\` ADD CONSTRAINT \`FK_33443cd5de3c6b130acfd6aba63\` FOREIGN KEY (\`parent_id\`) REFERENCES \`unit\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`person\` ADD CONSTRAINT \`FK_1ccc95c9861eb01e5303cf22e34\` FOREIGN KEY (\`unit_id\`) REFERENCES \`unit\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`person\` DROP FOREIGN KEY \`FK_1ccc95c9861eb01e5303cf22e34\``);
    await queryRunner.query(`ALTER TABLE \`unit\` DROP FOREIGN KEY \`FK_33443cd5de3c6b130acfd6aba63\``);
    await queryRunner.query(`DROP TABLE \`wecom_token\``);
    await queryRunner.query(`DROP INDEX \`IDX_fdfa82f95421f9605be14a8961\` ON \`stored_file_chunk\``);
    await queryRunner.query(`DROP TABLE \`stored_file_chunk\``);
    await queryRunner.query(`DROP TABLE \`stored_file\``);
    await queryRunner.query(`DROP INDEX \`IDX_1ccc95c9861eb01e5303cf22e3\` ON \`person\``);
    await queryRunner.query(`DROP INDEX \`IDX_768408bebb9db637480711c28e\` ON \`person\``);
    await queryRunner.query(`DROP TABLE \`person\``);
    await queryRunner.query(`DROP INDEX \`IDX_5618100486bb99d78de022e582\` ON \`unit\``);
    await queryRunner.query(`DROP TABLE \`unit\``);
    await queryRunner.query(`DROP INDEX \`IDX_3e1d188faf16b1e79c1c4ef3e1\` ON \`outbox_message\``);
    await queryRunner.query(`DROP INDEX \`IDX_9976a0de5598d35c05b0de8f5d\` ON \`outbox_message\``);
    await queryRunner.query(`DROP INDEX \`IDX_9e44314b4db9fb7ee01d24b161\` ON \`outbox_message\``);
    await queryRunner.query(`DROP INDEX \`IDX_b9b29d6db6e57b0b61cc00c6fb\` ON \`outbox_message\``);
    await queryRunner.query(`DROP INDEX \`IDX_561d969df672397b5f9a456bed\` ON \`outbox_message\``);
    await queryRunner.query(`DROP TABLE \`outbox_message\``);
    await queryRunner.query(`DROP TABLE \`lease\``);
    await queryRunner.query(`DROP INDEX \`IDX_2e50d072ee2253e43642984441\` ON \`inbound_message\``);
    await queryRunner.query(`DROP INDEX \`IDX_448d655b1fb009746bd5d36234\` ON \`inbound_message\``);
    await queryRunner.query(`DROP TABLE \`inbound_message\``);
    await queryRunner.query(`DROP INDEX \`IDX_4f9271a66728b5202300914850\` ON \`group_robot\``);
    await queryRunner.query(`DROP TABLE \`group_robot\``);
    await queryRunner.query(`DROP TABLE \`conversation_state\``);
    await queryRunner.query(`DROP TABLE \`calendar_year\``);
    await queryRunner.query(`DROP TABLE \`calendar_day\``);
    await queryRunner.query(`DROP INDEX \`IDX_55514896b5dde961b71923664b\` ON \`audit_log\``);
    await queryRunner.query(`DROP INDEX \`IDX_ba27cef5b8b2b1a756e06ebcc5\` ON \`audit_log\``);
    await queryRunner.query(`DROP TABLE \`audit_log\``);
  }
}
