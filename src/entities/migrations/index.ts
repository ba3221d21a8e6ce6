// MySQL/MariaDB migrations in order. Generate a new one with `npm run migration:generate -- Name`.
import type { MigrationInterface } from 'typeorm';
import { Foundation1795768225085 } from './1795768225085-Foundation.js';
import { Directory1795768539469 } from './1795768539469-Directory.js';
import { GuestbookFilingsDomains1795768891610 } from './1795768891610-GuestbookFilingsDomains.js';

export const migrations: (new () => MigrationInterface)[] = [
  Foundation1795768225085,
  Directory1795768539469,
  GuestbookFilingsDomains1795768891610,
];
