// Second-level domains (二级域名) as the notice means them: the city's zone and each 区县's own,
// requests, decisions by the zone's approvers, 收回 with a reason and 确认, and the list.
import type { Feature } from '../types.js';
import { decideCommand, decisionFlow, domainCardActions } from './decide.js';
import { domainListCommand } from './list.js';
import { requestCommand, requestFlow } from './request.js';
import { revokeCommand, revokeFlow } from './revoke.js';
import { approverCommands, zoneCommand, zoneListCommand } from './settings.js';

export const domainsFeature: Feature = {
  name: 'domains',
  commands: [
    requestCommand,
    domainListCommand,
    decideCommand,
    revokeCommand,
    zoneListCommand,
    zoneCommand,
    ...approverCommands,
  ],
  cardActions: domainCardActions,
  flows: [requestFlow, decisionFlow, revokeFlow],
};
