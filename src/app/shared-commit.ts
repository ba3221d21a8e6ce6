// Light deliveries of several members share one transaction, one connection and one commit.
//
// Every delivery is stored before it is answered, so a callback costs at least a few round trips
// to the database and a commit. Under load most of them are light reads (我的任务, 帮助): the few
// rows of the asker's own, the delivery row, the dialog. Such deliveries wait here while every
// group slot is busy, and then run together: the pipeline's handle() for each, concurrently, on
// one connection whose statements go as one packet per event-loop turn (src/db/batch.ts). A group
// of ten costs about the packets of one.
//
// What keeps members apart:
// - one delivery per member per group, and a member's row is locked without waiting (SKIP
//   LOCKED): a member whose row another transaction holds fails the group instead of holding it up;
// - light commands write nothing shared: the connection refuses any write but the delivery rows,
//   dialogs and outbox rows (pipeline.ts), so one member never sees another's half-done change;
// - any failure (a refused statement, a lock, a duplicate delivery, a handler that throws) rolls
//   the whole group back, and each member then runs alone, exactly as without groups: the member
//   at fault is quarantined or retried as before, the others are answered a few milliseconds
//   later. Members of a failed group run alone for a while, so a repeated fault cannot keep
//   costing others a second run.
// Nothing waits for a group to fill: with a slot free a delivery starts at once, alone or with
// those already waiting.

import { countSharedCommit } from '../metrics/metrics.js';

/** The only writes a light delivery makes: its delivery row, the member's dialog, outbox rows. */
const SHARED_WRITE =
  /^(?:INSERT\s+(?:IGNORE\s+)?INTO|UPDATE|DELETE\s+FROM)\s+`?(?:inbound_message|conversation_state|outbox_message)`?[\s(]/i;
const READ_OR_COMMIT = /^(?:SELECT|COMMIT)\b/i;

/** Why a statement may not run in a shared transaction (src/db/batch.ts asks); undefined: it may. */
export function refuseInSharedCommit(sql: string): string | undefined {
  const statement = sql.trimStart();
  if (READ_OR_COMMIT.test(statement) || SHARED_WRITE.test(statement)) return undefined;
  return `not in a shared commit: ${statement.slice(0, 60)}`;
}

/**
 * A member found not light once the transaction had read them: a supervisor's 我的任务, a stranger,
 * a member whose row another transaction holds. They are the group's culprits.
 */
export class NotLight extends Error {
  constructor() {
    super('not a light delivery for this asker');
  }
}

/** Members of one group at most: packets of a few dozen short statements each. */
export const SHARED_COMMIT_MAX_SIZE = 32;

export interface SharedCommitOptions {
  /** Groups running at once; one connection each. */
  slots: number;
  /** Members of one group at most. */
  maxSize: number;
  /** How long the members of a failed group run alone. */
  aloneForMs: number;
  /** A monotonic clock in milliseconds. */
  elapsed: () => number;
}

interface Waiting<M, R> {
  member: M;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs a group of members in one transaction: their results in order; or, when it was rolled back
 * (then each member runs alone), the members known to have caused it (none known: all of them);
 * or an error that is every member's answer (the database is gone: running alone would not help).
 */
export type RunGroup<M, R> = (
  members: M[],
) => Promise<{ results: R[] } | { culprits: M[] } | { error: unknown }>;

export class SharedCommits<M, R> {
  private readonly queue: Waiting<M, R>[] = [];
  /** Members waiting or running in a group (one delivery each). */
  private readonly inGroup = new Set<string>();
  /** Members who run alone until the given time (they were in a failed group). */
  private readonly aloneUntil = new Map<string, number>();
  private running = 0;

  constructor(
    private readonly runGroup: RunGroup<M, R>,
    private readonly runAlone: (member: M) => Promise<R>,
    private readonly memberOf: (member: M) => string,
    private readonly options: SharedCommitOptions,
  ) {}

  /** Groups run so far and members in them; failed groups (members run alone). */
  readonly stats = { groups: 0, members: 0, failed: 0 };

  /** Deliveries waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  run(member: M): Promise<R> {
    const who = this.memberOf(member);
    if (this.inGroup.has(who) || this.mustRunAlone(who)) return this.runAlone(member);
    this.inGroup.add(who);
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ member, resolve, reject });
      this.startGroups();
    });
  }

  private mustRunAlone(who: string): boolean {
    const until = this.aloneUntil.get(who);
    if (until === undefined) return false;
    if (this.options.elapsed() < until) return true;
    this.aloneUntil.delete(who);
    return false;
  }

  private startGroups(): void {
    while (this.running < this.options.slots && this.queue.length > 0) {
      const group = this.queue.splice(0, this.options.maxSize);
      this.running++;
      void this.runOne(group);
    }
  }

  /**
   * Runs one group in a slot. After a rollback the slot is free again before the members run
   * alone: one of them may wait for their own row, and the next group must not wait with them.
   */
  private async runOne(group: Waiting<M, R>[]): Promise<void> {
    this.stats.groups++;
    this.stats.members += group.length;
    const members = group.map((waiting) => waiting.member);
    const outcome = await this.runGroup(members).catch(() => ({ culprits: members }));
    countSharedCommit(members.length, 'results' in outcome);
    this.running--;
    for (const member of members) this.inGroup.delete(this.memberOf(member));
    if ('results' in outcome) group.forEach((waiting, index) => waiting.resolve(outcome.results[index] as R));
    else if ('error' in outcome) for (const waiting of group) waiting.reject(outcome.error);
    else {
      this.stats.failed++;
      const until = this.options.elapsed() + this.options.aloneForMs;
      const culprits = outcome.culprits.length > 0 ? outcome.culprits : members;
      for (const member of culprits) this.aloneUntil.set(this.memberOf(member), until);
      this.forgetExpired();
      for (const waiting of group) this.runAlone(waiting.member).then(waiting.resolve, waiting.reject);
    }
    this.startGroups();
  }

  /** Keeps the alone-list as small as the members recently in a failed group. */
  private forgetExpired(): void {
    if (this.aloneUntil.size < 1000) return;
    const now = this.options.elapsed();
    for (const [who, until] of this.aloneUntil) if (until <= now) this.aloneUntil.delete(who);
  }
}
