// 账号备案 (opening, renaming, closing and cancelling new-media accounts within three working days)
// and the supervisors' 备案确认 / 备案退回.
import type { Feature } from '../types.js';
import { confirmCommand, filingCardActions, filingRejectFlow, rejectCommand } from './decide.js';
import { filingCommand, filingFlow } from './filing.js';

export const filingsFeature: Feature = {
  name: 'filings',
  commands: [filingCommand, confirmCommand, rejectCommand],
  cardActions: filingCardActions,
  flows: [filingFlow, filingRejectFlow],
};
