import { migrateCommand } from './migrate.js';
import { piiCheckCommand } from './pii-check.js';
import { serveCommand } from './serve.js';
import type { CliCommand } from './types.js';

/** Every `duban <command>`; one module per command. */
export const commands: CliCommand[] = [serveCommand, migrateCommand, piiCheckCommand];
