import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A data migration (written by hand): cleans the rows kept before retention by design, so that the
 * next backup holds no more than the README's table allows.
 * - Finished deliveries drop their decrypted body and their passive reply (WeCom's retries of them
 *   are long over); only deliveries still `received` keep the body, for the recovery sweep.
 * - Error notes of failed deliveries and audit details lose long digit runs (ID, mobile and bank-card
 *   numbers that a database error message or an older detail may have quoted).
 * - Reply drafts whose text the PII gate blocked (flag `replaceText`) are dropped: the old code kept
 *   the blocked text in them.
 * - Files no record refers to (exports, uploads of replies never submitted) now expire in 7 days.
 * The detector of src/services/pii is not used here (migrations sit below the services); the digit
 * rule below is deliberately blunt: it masks every run of 11 or more digits.
 */
export class ForgetWhatNeedNotBeKept1796458054874 implements MigrationInterface {
  name = 'ForgetWhatNeedNotBeKept1796458054874';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "UPDATE `inbound_message` SET `xml` = NULL, `passive_reply` = NULL WHERE `status` <> 'received'",
    );
    await maskDigitRuns(queryRunner, 'inbound_message', 'error');
    await maskDigitRuns(queryRunner, 'audit_log', 'detail');
    await queryRunner.query(
      "DELETE FROM `conversation_state` WHERE `flow` = 'task-submit' AND `data` LIKE '%\"replaceText\":true%'",
    );

    const referenced = new Set<number>();
    const replies = (await queryRunner.query('SELECT `file_ids` FROM `task_reply`')) as {
      file_ids: string;
    }[];
    for (const reply of replies) {
      for (const id of parseIds(reply.file_ids)) referenced.add(id);
    }
    const notices = (await queryRunner.query(
      'SELECT `source_file_id` FROM `notice` WHERE `source_file_id` IS NOT NULL',
    )) as { source_file_id: number }[];
    for (const notice of notices) referenced.add(Number(notice.source_file_id));
    const files = (await queryRunner.query('SELECT `id` FROM `stored_file` WHERE `expires_at` IS NULL')) as {
      id: number;
    }[];
    const orphans = files.map((file) => Number(file.id)).filter((id) => !referenced.has(id));
    for (let i = 0; i < orphans.length; i += 500) {
      const batch = orphans.slice(i, i + 500);
      await queryRunner.query(
        `UPDATE \`stored_file\` SET \`expires_at\` = DATE_ADD(UTC_TIMESTAMP(3), INTERVAL 7 DAY) WHERE \`id\` IN (${batch.map(() => '?').join(',')})`,
        batch,
      );
    }
  }

  async down(): Promise<void> {
    // What was forgotten cannot be restored.
  }
}

const LONG_DIGITS = /\d{11,}|\d{17}[Xx]/g;

export function maskDigits(text: string): string {
  return text.replace(
    LONG_DIGITS,
    (run) => `${run.slice(0, 3)}${'*'.repeat(run.length - 7)}${run.slice(-4)}`,
  );
}

async function maskDigitRuns(queryRunner: QueryRunner, table: string, column: string): Promise<void> {
  const rows = (await queryRunner.query(
    `SELECT \`id\`, \`${column}\` AS value FROM \`${table}\` WHERE \`${column}\` REGEXP '[0-9]{11}'`,
  )) as { id: number; value: string }[];
  for (const row of rows) {
    await queryRunner.query(`UPDATE \`${table}\` SET \`${column}\` = ? WHERE \`id\` = ?`, [
      maskDigits(row.value),
      row.id,
    ]);
  }
}

function parseIds(json: string): number[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.filter((id): id is number => typeof id === 'number') : [];
  } catch {
    return [];
  }
}
