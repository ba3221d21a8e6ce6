import { deadlineCommand } from './deadline.js';
import { importCalendarCommand } from './import-calendar.js';
import type { CliCommand } from './types.js';
import { workdayCommand } from './workday.js';

/** Every `duban <command>`; one module per command. */
export const commands: CliCommand[] = [deadlineCommand, workdayCommand, importCalendarCommand];
