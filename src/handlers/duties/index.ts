// Three duties from the 2023 Q1 notice that units keep missing: "我为政府网站找错" guestbook messages,
// new-media account filings, and second-level domains. Each is a Feature; they share the
// personal-information confirmation step.
import type { Feature } from '../types.js';
import { accountListCommand, markCommands } from './accounts.js';
import {
  decideCommand,
  domainCardActions,
  domainGatedKinds,
  domainListCommand,
  domainRejectFlow,
  requestCommand,
  revokeCommand,
} from './domains.js';
import {
  confirmCommand,
  filingCardActions,
  filingRejectFlow,
  filingRejectKind,
  rejectCommand,
} from './filing-decide.js';
import { filingCommand, filingFlow } from './filing-flow.js';
import { answerCommand, guestbookAnswerKind } from './guestbook-answer.js';
import { importCommand, importFileRoute, importFlow } from './guestbook-import.js';
import { listCommand } from './guestbook-list.js';
import { guestbookSummaryKind, registerCommand, registerFlow } from './guestbook-register.js';
import { piiConfirmFlow } from './pii-confirm.js';

/** The confirmation step for texts with warn findings, for every gated submission below. */
const piiConfirm = piiConfirmFlow([
  guestbookSummaryKind,
  guestbookAnswerKind,
  filingRejectKind,
  ...domainGatedKinds,
]);

export const guestbookFeature: Feature = {
  name: 'guestbook',
  commands: [registerCommand, answerCommand, listCommand, importCommand],
  flows: [registerFlow, importFlow, piiConfirm],
  files: [importFileRoute],
};

export const filingsFeature: Feature = {
  name: 'filings',
  commands: [filingCommand, accountListCommand, confirmCommand, rejectCommand, ...markCommands],
  cardActions: filingCardActions,
  flows: [filingFlow, filingRejectFlow],
};

export const domainsFeature: Feature = {
  name: 'domains',
  commands: [requestCommand, domainListCommand, decideCommand, revokeCommand],
  cardActions: domainCardActions,
  flows: [domainRejectFlow],
};
