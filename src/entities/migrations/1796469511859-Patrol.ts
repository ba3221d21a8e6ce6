import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Patrol1796469511859 implements MigrationInterface {
  name = 'Patrol1796469511859';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`patrol_run\` (\`id\` int NOT NULL AUTO_INCREMENT, \`requested_by\` varchar(64) NOT NULL, \`scope\` varchar(100) NOT NULL, \`status\` varchar(16) NOT NULL, \`started_at\` datetime(3) NOT NULL, \`deadline\` datetime(3) NOT NULL, \`finished_at\` datetime(3) NULL, INDEX \`IDX_0dea36bb9c715ae6687708d770\` (\`status\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`patrol_site\` (\`id\` int NOT NULL AUTO_INCREMENT, \`run_id\` int NOT NULL, \`website_id\` int NOT NULL, \`status\` varchar(16) NOT NULL, \`lease_owner\` varchar(128) NULL, \`lease_until\` datetime(3) NULL, \`attempts\` int NOT NULL DEFAULT '0', \`pages\` int NOT NULL DEFAULT '0', \`requests\` int NOT NULL DEFAULT '0', \`bytes\` int NOT NULL DEFAULT '0', \`unreachable\` tinyint NOT NULL DEFAULT 0, \`truncated\` tinyint NOT NULL DEFAULT 0, \`finished_at\` datetime(3) NULL, INDEX \`IDX_955c26e8f178f6d83ab500b4f1\` (\`website_id\`), INDEX \`IDX_1967c75a00d584906a59d70215\` (\`status\`, \`lease_until\`), UNIQUE INDEX \`IDX_d686d7c73157fb6e38dcd5b02b\` (\`run_id\`, \`website_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`patrol_page\` (\`id\` int NOT NULL AUTO_INCREMENT, \`website_id\` int NOT NULL, \`url_key\` varchar(40) NOT NULL, \`url\` varchar(1000) NOT NULL, \`etag\` varchar(200) NULL, \`last_modified\` varchar(100) NULL, \`summary\` text NOT NULL, \`read_at\` datetime(3) NOT NULL, UNIQUE INDEX \`IDX_236e131a28f790a5eeb0c25b20\` (\`website_id\`, \`url_key\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`patrol_finding\` (\`id\` int NOT NULL AUTO_INCREMENT, \`website_id\` int NOT NULL, \`unit_id\` int NOT NULL, \`kind\` varchar(16) NOT NULL, \`url_key\` varchar(40) NOT NULL, \`url\` varchar(1000) NOT NULL, \`page_url\` varchar(1000) NULL, \`detail\` varchar(300) NOT NULL, \`snippet\` varchar(500) NOT NULL, \`first_seen_at\` datetime(3) NOT NULL, \`last_seen_at\` datetime(3) NOT NULL, \`last_run_id\` int NOT NULL, \`resolved_at\` datetime(3) NULL, \`task_id\` int NULL, \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`IDX_a8286b16d5249aa9f727a67ada\` (\`task_id\`), INDEX \`IDX_e1688b2ffccf1e805e0d9cd823\` (\`unit_id\`, \`resolved_at\`), UNIQUE INDEX \`IDX_a8026ebb7a85efd656dfc957f3\` (\`website_id\`, \`kind\`, \`url_key\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`IDX_a8026ebb7a85efd656dfc957f3\` ON \`patrol_finding\``);
    await queryRunner.query(`DROP INDEX \`IDX_e1688b2ffccf1e805e0d9cd823\` ON \`patrol_finding\``);
    await queryRunner.query(`DROP INDEX \`IDX_a8286b16d5249aa9f727a67ada\` ON \`patrol_finding\``);
    await queryRunner.query(`DROP TABLE \`patrol_finding\``);
    await queryRunner.query(`DROP INDEX \`IDX_236e131a28f790a5eeb0c25b20\` ON \`patrol_page\``);
    await queryRunner.query(`DROP TABLE \`patrol_page\``);
    await queryRunner.query(`DROP INDEX \`IDX_d686d7c73157fb6e38dcd5b02b\` ON \`patrol_site\``);
    await queryRunner.query(`DROP INDEX \`IDX_1967c75a00d584906a59d70215\` ON \`patrol_site\``);
    await queryRunner.query(`DROP INDEX \`IDX_955c26e8f178f6d83ab500b4f1\` ON \`patrol_site\``);
    await queryRunner.query(`DROP TABLE \`patrol_site\``);
    await queryRunner.query(`DROP INDEX \`IDX_0dea36bb9c715ae6687708d770\` ON \`patrol_run\``);
    await queryRunner.query(`DROP TABLE \`patrol_run\``);
  }
}
