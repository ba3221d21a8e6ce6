import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CaseReviewCards1796468811198 implements MigrationInterface {
  name = 'CaseReviewCards1796468811198';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`typical_case\` ADD \`review_card_at\` datetime(3) NULL`);
    // Cases stored before review cards existed are not announced now.
    await queryRunner.query(`UPDATE \`typical_case\` SET \`review_card_at\` = \`created_at\``);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`typical_case\` DROP COLUMN \`review_card_at\``);
  }
}
