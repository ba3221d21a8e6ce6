// Repost discovery (services/reposts/discovery.ts): at 10:00 and 16:00 on working days for every
// open item, and within a minute of a supervisor's `转载核查 Z3` for that item (the result goes to
// whoever asked).
import { enqueue, messagesToItems } from '../outbox/queue.js';
import { runDiscovery, takeRequests } from '../services/reposts/discovery.js';
import { discoveryDoneText } from '../services/reposts/views.js';
import type { Job, JobDeps } from './types.js';

function discoveryDeps(deps: JobDeps) {
  return { dataSource: deps.dataSource, content: deps.content, clock: deps.clock };
}

export const repostDiscovery: Job = {
  name: 'repost-discovery',
  cron: '0 10,16 * * *',
  workingDaysOnly: true,
  catchUp: 'same-day',
  run: async (deps) => {
    const discovery = discoveryDeps(deps);
    const results = await runDiscovery(discovery);
    deps.outbox.kick();
    const found = results.reduce((sum, result) => sum + result.found.length, 0);
    return `${results.length} items, ${found} found`;
  },
};

export const repostDiscoveryRequests: Job = {
  name: 'repost-discovery-requests',
  cron: '* * * * *',
  catchUp: 'never',
  run: async (deps, now) => {
    const discovery = discoveryDeps(deps);
    const requests = await takeRequests(deps.dataSource);
    if (requests.length === 0) return 'nothing asked';
    const results = await runDiscovery(discovery, [...new Set(requests.map((r) => r.itemId))]);
    const items = results.flatMap((result) =>
      requests
        .filter((request) => request.itemId === result.item.id && request.by)
        .flatMap((request) =>
          messagesToItems(request.by, [discoveryDoneText(result.item, result.found, result.missing)], {
            keyPrefix: `repost:${result.item.id}:check:${now.getTime()}`,
            source: 'repost',
          }),
        ),
    );
    await deps.dataSource.transaction((tx) => enqueue(tx, items, deps.clock.now()));
    deps.outbox.kick();
    return `${results.length} items checked on request`;
  },
};
