// New-media accounts (政务新媒体账号清单): 账号清单 and the consolidation marks. Filings that change
// the list are in ../filings.
import type { Feature } from '../types.js';
import { accountListCommand, markCommands } from './list.js';

export const accountsFeature: Feature = {
  name: 'accounts',
  commands: [accountListCommand, ...markCommands],
};
