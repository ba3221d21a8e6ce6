import { chatCommand } from './chat.js';
import { deadlineCommand } from './deadline.js';
import { importCalendarCommand } from './import-calendar.js';
import { importMessagesCommand } from './import-messages.js';
import { migrateCommand } from './migrate.js';
import { piiCheckCommand } from './pii-check.js';
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
  importMessagesCommand(),
];
