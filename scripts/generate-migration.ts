// Writes a MySQL migration for the difference between the entities and the existing migrations.
// Usage: npm run migration:generate -- <Name>
// It replays the existing migrations into a scratch database (MIGRATION_DATABASE_URL, default
// mysql://root@127.0.0.1:3306) and asks TypeORM's schema builder what is missing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mysql2 from 'mysql2/promise';
import { openDatabase } from '../src/db/data-source.js';
import { registerMigration } from './migration-index.js';

const name = process.argv[2];
if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
  console.error('用法 / usage: npm run migration:generate -- <PascalCaseName>');
  process.exit(2);
}
const server = new URL(process.env.MIGRATION_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306');
const scratch = `duban_migrate_${Date.now()}`;
server.pathname = `/${scratch}`;

const dataSource = await openDatabase({ kind: 'mysql', url: server.toString() });
try {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  if (sql.upQueries.length === 0) {
    console.log('实体与迁移一致，无需新迁移 / no changes');
  } else {
    const timestamp = Date.now();
    const className = `${name}${timestamp}`;
    const quote = (q: string) =>
      '`' + q.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
    const up = sql.upQueries.map((q) => `    await queryRunner.query(${quote(q.query)});`).join('\n');
    const down = sql.downQueries
      .reverse()
      .map((q) => `    await queryRunner.query(${quote(q.query)});`)
      .join('\n');
    const file = `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${up}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${down}
  }
}
`;
    const path = join('src', 'entities', 'migrations', `${timestamp}-${name}.ts`);
    writeFileSync(path, file);
    registerMigration();
    console.log(`已写入 / written: ${path} (registered in src/entities/migrations/index.ts)`);
  }
} finally {
  await dataSource.destroy();
  const connection = await mysql2.createConnection({ uri: server.toString().replace(`/${scratch}`, '/') });
  await connection.query(`DROP DATABASE \`${scratch}\``);
  await connection.end();
}
