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
// - one delivery per member per group, and none whose key is still being handled in this process
//   (a WeCom retry of a slow first run); the group's connection waits at most a second for a lock;
// - a member's row is locked without waiting (SKIP LOCKED);
// - light commands write nothing shared: the connection refuses locking reads and any write but
//   to delivery rows, dialogs and outbox rows (the check is by table: light handlers touch only
//   their own member's rows there, which the pipeline's tests hold them to);
// - a member who turns out not to be light (a stranger, a supervisor whose 我的任务 lists the city,
//   a row or dialog busy elsewhere) withdraws: their delivery is committed as recorded and handled
//   alone after the commit, and they run alone for a while after; a retry of a delivery already
//   stored withdraws too and gets the first answer. The others commit as if nothing happened;
// - anything else (a refused statement, a lock timeout, a handler that throws) rolls the whole
//   group back, and each member then runs alone, exactly as without groups: the one at fault is
//   quarantined or retried as always, the others are answered a few milliseconds later. Which
//   member it was is not known, so all of them run alone for a while.
// Nothing waits for a group to fill: with a slot free a delivery starts at once, alone or with
// those already waiting.

import { countSharedCommit } from '../metrics/metrics.js';

/** The only writes a light delivery makes: its delivery row, the member's dialog, outbox rows. */
const TABLES = '`?(?:inbound_message|conversation_state|outbox_message)`?';
const SHARED_WRITE = new RegExp(
  `^(?:INSERT\\s+(?:IGNORE\\s+)?INTO\\s+${TABLES}\\s*\\(|UPDATE\\s+${TABLES}\\s+SET\\s|DELETE\\s+FROM\\s+${TABLES}\\s+WHERE\\s)`,
  'i',
);
const READ_OR_COMMIT = /^(?:SELECT|COMMIT)\b/i;
/** A locking read that would wait: one member's wait would be the whole group's. */
const WAITING_LOCK =
  /\bFOR\s+(?:UPDATE|SHARE)\b(?!\s+(?:SKIP\s+LOCKED|NOWAIT)\s*$)|\bLOCK\s+IN\s+SHARE\s+MODE\b/i;

/** Why a statement may not run in a shared transaction (src/db/batch.ts asks); undefined: it may. */
export function refuseInSharedCommit(sql: string): string | undefined {
  const statement = sql.trim();
  if (READ_OR_COMMIT.test(statement) && !WAITING_LOCK.test(statement)) return undefined;
  if (SHARED_WRITE.test(statement)) return undefined;
  return `not in a shared commit: ${statement.slice(0, 60)}`;
}

/**
 * A member who is not light after all, found once the transaction had read them: their delivery
 * (row `id`) is committed as recorded and handled alone after the commit (`replay`: a retry of a
 * delivery already stored, answered with the first answer). They do not fail the group.
 */
export class Withdrawn extends Error {
  constructor(
    readonly then: 'alone' | 'replay',
    readonly id?: number,
  ) {
    super(`withdrawn from the shared commit (${then})`);
  }
}

/**
 * How long a shared transaction's statement may wait for a row lock (the copy of a delivery that
 * another instance is still handling): every member waits with it.
 */
export const SHARED_LOCK_WAIT_SECONDS = 1;

/** Members of one group at most: packets of a few dozen short statements each. */
export const SHARED_COMMIT_MAX_SIZE = 32;

/** How long a member who withdrew (or was in a group rolled back for no known reason) runs alone. */
export const SHARED_COMMIT_ALONE_MS = 5000;

export interface SharedCommitOptions {
  /** Groups running at once; one connection each. */
  slots: number;
  /** Members of one group at most. */
  maxSize: number;
  /** How long members who withdrew, or were in a group rolled back, run alone. */
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
 * How a group ended: committed, with each member's answer (a promise: a withdrawn member's runs
 * after the commit) and the members who withdrew; rolled back (then each member runs alone), with
 * the members to keep alone for a while (`all` when the one at fault is not known; none when it was
 * a lock held outside the group, nobody's fault here); or an error that is every
 * member's answer (the database is gone: running alone would not help).
 */
export type GroupOutcome<M, R> =
  | { committed: true; results: Promise<R>[]; withdrawn: M[] }
  | { committed: false; culprits: M[] | 'all' }
  | { error: unknown };

export type RunGroup<M, R> = (members: M[]) => Promise<GroupOutcome<M, R>>;

export class SharedCommits<M, R> {
  private readonly queue: Waiting<M, R>[] = [];
  /** Members waiting or running in a group (one delivery each). */
  private readonly inGroup = new Set<string>();
  /** Members who run alone until the given time (they were in a failed group). */
  private readonly aloneUntil = new Map<string, number>();
  private running = 0;
  private paused = 0;

  constructor(
    private readonly runGroup: RunGroup<M, R>,
    private readonly runAlone: (member: M) => Promise<R>,
    private readonly memberOf: (member: M) => string,
    private readonly options: SharedCommitOptions,
  ) {}

  /** Groups run so far and members in them; groups rolled back (members run alone); members who withdrew. */
  readonly stats = { groups: 0, members: 0, failed: 0, withdrawn: 0 };

  /** Deliveries waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Starts no group until the returned function is called: deliveries meanwhile wait, and then
   * go as groups (tests, to know which deliveries share one).
   */
  pause(): () => void {
    this.paused++;
    let resumed = false;
    return () => {
      if (resumed) return;
      resumed = true;
      this.paused--;
      this.startGroups();
    };
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
    while (this.paused === 0 && this.running < this.options.slots && this.queue.length > 0) {
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
    const outcome = await this.runGroup(members).catch((): GroupOutcome<M, R> => ({
      committed: false,
      culprits: 'all',
    }));
    this.running--;
    for (const member of members) this.inGroup.delete(this.memberOf(member));
    countSharedCommit(members.length, 'committed' in outcome && outcome.committed);
    if ('error' in outcome) for (const waiting of group) waiting.reject(outcome.error);
    else if (outcome.committed) {
      group.forEach((waiting, index) => void outcome.results[index]!.then(waiting.resolve, waiting.reject));
      this.stats.withdrawn += outcome.withdrawn.length;
      this.keepAlone(outcome.withdrawn);
    } else {
      this.stats.failed++;
      this.keepAlone(outcome.culprits === 'all' ? members : outcome.culprits);
      for (const waiting of group) void this.runAlone(waiting.member).then(waiting.resolve, waiting.reject);
    }
    this.startGroups();
  }

  private keepAlone(members: M[]): void {
    if (members.length === 0) return;
    const until = this.options.elapsed() + this.options.aloneForMs;
    for (const member of members) this.aloneUntil.set(this.memberOf(member), until);
    this.forgetExpired();
  }

  /** Keeps the alone-list as small as the members recently in a failed group. */
  private forgetExpired(): void {
    if (this.aloneUntil.size < 1000) return;
    const now = this.options.elapsed();
    for (const [who, until] of this.aloneUntil) if (until <= now) this.aloneUntil.delete(who);
  }
}
