// Every minute: cases submitted since the last run reach the supervisors as review cards, one
// card per case, or one digest card per call when several came in together (see
// services/cases/review.ts). Sent at once (no spreading): a reviewer waits for them.
import { cardTaskId, type TemplateCard } from '../messages/outbound.js';
import { enqueue, messagesToItems } from '../outbox/queue.js';
import { supervisors } from '../services/directory/lookup.js';
import { takeReviewBatches } from '../services/cases/review.js';
import { digestCard, reviewCard } from '../services/cases/views.js';
import type { Job, JobDeps } from './types.js';

export const REVIEW_CARD_SOURCE = 'case-review';

/** Queues the review cards due at `now`; returns how many cases were announced. */
export async function sendReviewCards(deps: Pick<JobDeps, 'dataSource'>, now: Date): Promise<number> {
  return deps.dataSource.transaction(async (tx) => {
    const batches = await takeReviewBatches({ tx, now });
    if (batches.length === 0) return 0;
    const people = (await supervisors(tx)).map((person) => person.userid);
    const items = batches.flatMap(({ call, items: cases }) => {
      const single = cases.length === 1 ? cases[0]! : null;
      const first = cases[0]!.kase.id;
      const key = single ? `case:${first}:review-card` : `case-call:${call.id}:digest:${first}`;
      const build = (taskId: string): TemplateCard =>
        single ? reviewCard(call, single, taskId) : digestCard(call, cases, taskId);
      return people.flatMap((userid) =>
        messagesToItems(
          userid,
          [{ type: 'card', card: build(cardTaskId(single ? 'casereview' : 'casedigest', first, userid)) }],
          { keyPrefix: key, source: REVIEW_CARD_SOURCE },
        ),
      );
    });
    await enqueue(tx, items, now);
    return batches.reduce((sum, batch) => sum + batch.items.length, 0);
  });
}

export const caseReviewCards: Job = {
  name: 'case-review-cards',
  cron: '* * * * *',
  // The cases not yet announced are found by their rows, so missed minutes need no catch-up.
  catchUp: 'never',
  run: async (deps, now) => {
    const sent = await sendReviewCards(deps, now);
    if (sent) deps.outbox.kick();
    return sent ? `${sent} 个案例` : undefined;
  },
};
