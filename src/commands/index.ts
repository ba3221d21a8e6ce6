import { chatCommand } from './chat.js';
import { commandsCommand } from './command-reference.js';
import { deadlineCommand } from './deadline.js';
import { exportCommand } from './export.js';
import { importCalendarCommand } from './import-calendar.js';
import { importDirectoryCommand } from './import-directory.js';
import { importMessagesCommand } from './import-messages.js';
import { migrateCommand } from './migrate.js';
import { piiCheckCommand } from './pii-check.js';
import { seedDemoCommand } from './seed-demo.js';
import { serveCommand } from './serve.js';
import type { CliCommand } from './types.js';
import { workdayCommand } from './workday.js';

/** Every `duban <command>`; one module per command. */
export const commands: CliCommand[] = [
  serveCommand,
  migrateCommand,
  chatCommand,
  deadlineCommand,
  workdayCommand,
  importCalendarCommand,
  piiCheckCommand,
  importDirectoryCommand,
  exportCommand,
  seedDemoCommand,
  importMessagesCommand(),
  commandsCommand,
];
