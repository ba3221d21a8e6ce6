import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DomainHistory1796458961945 implements MigrationInterface {
  name = 'DomainHistory1796458961945';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`broadcast_run\` (\`id\` int NOT NULL AUTO_INCREMENT, \`broadcast_id\` int NOT NULL, \`occurrence\` datetime(3) NOT NULL, \`recipients\` int NOT NULL, \`messages\` int NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`IDX_78f080a24ce5a58b46818c907f\` (\`broadcast_id\`, \`occurrence\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`urge_log\` (\`id\` int NOT NULL AUTO_INCREMENT, \`reminder_key\` varchar(191) NOT NULL, \`target\` varchar(128) NOT NULL, \`unit_id\` int NOT NULL, \`day\` varchar(10) NOT NULL, \`recipient\` varchar(64) NOT NULL, \`urged_by\` varchar(64) NOT NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`IDX_045b554b6dce3a2dea609c78d5\` (\`reminder_key\`), INDEX \`IDX_cb3dac34906fc5e0d6ae5c957a\` (\`target\`, \`day\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    // What existing notices queued, from their outbox rows (one run per notice: the occurrence is
    // the notice's creation). Reminders already sent by 催办 today are not carried over: at worst a
    // unit urged before the upgrade can be urged once more that same day.
    await queryRunner.query(
      `INSERT INTO \`broadcast_run\` (\`broadcast_id\`, \`occurrence\`, \`recipients\`, \`messages\`)
       SELECT b.\`id\`, b.\`created_at\`, COUNT(DISTINCT o.\`recipient\`), COUNT(*)
       FROM \`outbox_message\` o JOIN \`broadcast\` b ON o.\`source\` = CONCAT('broadcast:', b.\`id\`)
       GROUP BY b.\`id\`, b.\`created_at\``,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`IDX_cb3dac34906fc5e0d6ae5c957a\` ON \`urge_log\``);
    await queryRunner.query(`DROP INDEX \`IDX_045b554b6dce3a2dea609c78d5\` ON \`urge_log\``);
    await queryRunner.query(`DROP TABLE \`urge_log\``);
    await queryRunner.query(`DROP INDEX \`IDX_78f080a24ce5a58b46818c907f\` ON \`broadcast_run\``);
    await queryRunner.query(`DROP TABLE \`broadcast_run\``);
  }
}
