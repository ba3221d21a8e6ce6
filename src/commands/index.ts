import { piiCheckCommand } from './pii-check.js';
import type { CliCommand } from './types.js';

/** Every `duban <command>`; one module per command. */
export const commands: CliCommand[] = [piiCheckCommand];
