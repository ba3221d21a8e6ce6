// MySQL/MariaDB migrations in order. Generate a new one with `npm run migration:generate -- Name`.
import type { MigrationInterface } from 'typeorm';
import { Foundation1795767402465 } from './1795767402465-Foundation.js';

export const migrations: (new () => MigrationInterface)[] = [Foundation1795767402465];
