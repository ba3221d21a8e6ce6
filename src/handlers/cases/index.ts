// 典型案例征集 (issue 7): supervisors open a call with quotas and a deadline, liaisons submit cases
// through a checked dialog, supervisors follow progress, review and export the info table.
import type { Feature } from '../types.js';
import { draftFlow } from './draft.js';
import {
  modifyCaseCommand,
  myCasesCommand,
  submitCaseButton,
  submitCaseCommand,
  withdrawCaseCommand,
} from './liaison.js';
import { openCallCommand, openCallFlow } from './open-call.js';
import {
  closeCallCommand,
  exportCommand,
  pickCallFlow,
  progressCommand,
  reviewCommand,
} from './supervise.js';

export const casesFeature: Feature = {
  name: 'cases',
  commands: [
    submitCaseCommand,
    myCasesCommand,
    modifyCaseCommand,
    withdrawCaseCommand,
    openCallCommand,
    progressCommand,
    reviewCommand,
    exportCommand,
    closeCallCommand,
  ],
  cardActions: [submitCaseButton],
  flows: [draftFlow, openCallFlow, pickCallFlow],
};
