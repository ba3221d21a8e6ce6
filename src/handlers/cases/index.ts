// 典型案例征集 (issue 7): supervisors open a call with quotas and a deadline, liaisons submit cases
// through a checked dialog, supervisors get review cards, follow progress, review and export the
// info table, and close, extend or reopen a call.
import type { Feature } from '../types.js';
import { caseListCommand, showCaseCommand } from './browse.js';
import { draftFlow } from './draft.js';
import {
  modifyCaseCommand,
  myCasesCommand,
  submitCaseButton,
  submitCaseCommand,
  withdrawCaseCommand,
} from './liaison.js';
import { openCallCommand, openCallFlow } from './open-call.js';
import { returnFlow, reviewCardActions, reviewCommand } from './review.js';
import {
  closeCallCommand,
  closeCallFlow,
  deadlineFlow,
  exportCommand,
  extendCallCommand,
  pickCallFlow,
  progressCommand,
  reopenCallCommand,
} from './supervise.js';

export const casesFeature: Feature = {
  name: 'cases',
  commands: [
    submitCaseCommand,
    myCasesCommand,
    modifyCaseCommand,
    withdrawCaseCommand,
    showCaseCommand,
    openCallCommand,
    progressCommand,
    caseListCommand,
    reviewCommand,
    exportCommand,
    closeCallCommand,
    extendCallCommand,
    reopenCallCommand,
  ],
  cardActions: [submitCaseButton, ...reviewCardActions],
  flows: [draftFlow, openCallFlow, pickCallFlow, closeCallFlow, deadlineFlow, returnFlow],
};
