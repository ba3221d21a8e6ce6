// Rewrites src/entities/migrations/index.ts from the migration files in timestamp order.
// Run alone after a merge: npx tsx scripts/migration-index.ts
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Rewrites src/entities/migrations/index.ts from the migration files, in timestamp order. */
export function registerMigration(): void {
  const dir = join('src', 'entities', 'migrations');
  const modules = readdirSync(dir)
    .filter((file) => /^\d+-[A-Za-z0-9]+\.ts$/.test(file))
    .sort()
    .map((file) => file.replace(/\.ts$/, ''));
  const classOf = (module: string) => {
    const [, timestamp, name] = /^(\d+)-(.+)$/.exec(module)!;
    return `${name}${timestamp}`;
  };
  const source = [
    '// MySQL/MariaDB migrations in order. Generate a new one with `npm run migration:generate -- Name`.',
    "import type { MigrationInterface } from 'typeorm';",
    ...modules.map((module) => `import { ${classOf(module)} } from './${module}.js';`),
    '',
    `export const migrations: (new () => MigrationInterface)[] = [${modules.map(classOf).join(', ')}];`,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'index.ts'), source);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) registerMigration();
