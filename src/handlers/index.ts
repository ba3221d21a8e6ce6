// Every route the bot has, in one place: each feature contributes commands, card actions, flows,
// event and file routes; the router tries them in its fixed order.
import { assignmentsFeature } from './assignments/index.js';
import { auditFeature } from './audit/index.js';
import { broadcastsFeature } from './broadcasts/index.js';
import { calendarFeature } from './calendar/index.js';
import { casesFeature } from './cases/index.js';
import { directoryFeature } from './directory/index.js';
import { domainsFeature } from './domains/index.js';
import { filingsFeature } from './filings/index.js';
import { guestbookFeature } from './guestbook/index.js';
import { accountsFeature } from './accounts/index.js';
import { greetOnEnter } from './greet.js';
import { outboxAdminFeature } from './outbox-admin/index.js';
import { helpCommand, helpReply } from './help.js';
import { piiCheckFeature } from './pii-check/index.js';
import { quarantineFeature } from './quarantine/index.js';
import { progressFeature } from './progress/index.js';
import { repostsFeature } from './reposts/index.js';
import { Router } from './router.js';
import { tasksFeature } from './tasks/index.js';
import type { Command, Feature } from './types.js';

/** The features, in the order their commands appear in 帮助. */
export const FEATURES: Feature[] = [
  { name: 'core', events: [greetOnEnter] },
  directoryFeature,
  tasksFeature,
  progressFeature,
  repostsFeature,
  casesFeature,
  piiCheckFeature,
  calendarFeature,
  broadcastsFeature,
  assignmentsFeature,
  outboxAdminFeature,
  auditFeature,
  quarantineFeature,
  guestbookFeature,
  filingsFeature,
  accountsFeature,
  domainsFeature,
];

export function buildRouter(features: Feature[] = FEATURES): Router {
  const commands: Command[] = [];
  commands.push(helpCommand(() => commands));
  for (const feature of features) commands.push(...(feature.commands ?? []));
  return new Router({
    commands,
    cardActions: features.flatMap((feature) => feature.cardActions ?? []),
    events: features.flatMap((feature) => feature.events ?? []),
    flows: features.flatMap((feature) => feature.flows ?? []),
    files: features.flatMap((feature) => feature.files ?? []),
    help: helpReply,
  });
}
