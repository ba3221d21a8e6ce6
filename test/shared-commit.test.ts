// Light deliveries sharing a commit (src/app/shared-commit.ts): who waits, who runs alone, and what
// a shared transaction may send. The database side is in shared-commit.e2e.test.ts.
import { describe, expect, it } from 'vitest';
import { refuseInSharedCommit, SharedCommits, type RunGroup } from '../src/app/shared-commit.js';

interface Member {
  who: string;
  n: number;
}

/** A group runner whose groups end when the test says so. */
function gate() {
  const groups: {
    members: Member[];
    end: (outcome: Awaited<ReturnType<RunGroup<Member, string>>>) => void;
  }[] = [];
  const alone: Member[] = [];
  let now = 0;
  const shared = new SharedCommits<Member, string>(
    (members) => new Promise((resolve) => groups.push({ members, end: resolve })),
    async (member) => {
      alone.push(member);
      return `alone ${member.who}${member.n}`;
    },
    (member) => member.who,
    { slots: 1, maxSize: 3, aloneForMs: 5000, elapsed: () => now },
  );
  const ok = (index: number) =>
    groups[index]!.end({
      committed: true,
      results: groups[index]!.members.map((m) => Promise.resolve(`group ${m.who}${m.n}`)),
      withdrawn: [],
    });
  return { shared, groups, alone, ok, advance: (ms: number) => (now += ms) };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('light deliveries sharing a commit', () => {
  it('starts at once with a slot free, and gathers those who arrive while the slots are busy', async () => {
    const { shared, groups, ok } = gate();
    const first = shared.run({ who: 'a', n: 1 });
    expect(groups.map((g) => g.members.map((m) => m.who))).toEqual([['a']]);
    const later = ['b', 'c', 'd', 'e'].map((who) => shared.run({ who, n: 1 }));
    ok(0);
    expect(await first).toBe('group a1');
    await tick();
    // At most maxSize in one group; the rest wait for the next.
    expect(groups.map((g) => g.members.map((m) => m.who))).toEqual([['a'], ['b', 'c', 'd']]);
    ok(1);
    await tick();
    ok(2);
    expect(await Promise.all(later)).toEqual(['group b1', 'group c1', 'group d1', 'group e1']);
    expect(shared.stats).toEqual({ groups: 3, members: 5, failed: 0, withdrawn: 0 });
  });

  it('never puts two deliveries of one member in the groups at once: the second runs alone', async () => {
    const { shared, groups, alone, ok } = gate();
    const first = shared.run({ who: 'a', n: 1 });
    const second = shared.run({ who: 'a', n: 2 });
    expect(await second).toBe('alone a2');
    expect(alone).toEqual([{ who: 'a', n: 2 }]);
    ok(0);
    expect(await first).toBe('group a1');
    expect(groups).toHaveLength(1);
  });

  it('runs every member alone after a rollback, and frees the slot before they do', async () => {
    const { shared, groups, alone } = gate();
    const first = shared.run({ who: 'a', n: 1 });
    const waiting = [shared.run({ who: 'b', n: 1 }), shared.run({ who: 'c', n: 1 })];
    groups[0]!.end({ committed: false, culprits: 'all' });
    expect(await first).toBe('alone a1');
    await tick();
    expect(groups[1]!.members.map((m) => m.who)).toEqual(['b', 'c']);
    groups[1]!.end({ committed: false, culprits: 'all' });
    expect(await Promise.all(waiting)).toEqual(['alone b1', 'alone c1']);
    expect(alone.map((m) => m.who)).toEqual(['a', 'b', 'c']);
    expect(shared.stats.failed).toBe(2);
  });

  it('keeps a member who withdrew alone for a while, the others in groups', async () => {
    const { shared, groups, alone, ok, advance } = gate();
    const first = shared.run({ who: 'a', n: 1 });
    const pair = [shared.run({ who: 'b', n: 1 }), shared.run({ who: 'c', n: 1 })];
    ok(0);
    await first;
    await tick();
    expect(groups[1]!.members.map((m) => m.who)).toEqual(['b', 'c']);
    // c withdrew (not light after all) and ran alone after the commit; b's answer is the group's.
    groups[1]!.end({
      committed: true,
      results: [Promise.resolve('group b1'), Promise.resolve('alone c1')],
      withdrawn: [{ who: 'c', n: 1 }],
    });
    expect(await Promise.all(pair)).toEqual(['group b1', 'alone c1']);
    alone.length = 0;
    const next = [shared.run({ who: 'b', n: 2 }), shared.run({ who: 'c', n: 2 })];
    expect(await next[1]).toBe('alone c2');
    expect(groups[2]!.members.map((m) => m.who)).toEqual(['b']);
    ok(2);
    expect(await next[0]).toBe('group b2');
    advance(5000);
    const again = shared.run({ who: 'c', n: 3 });
    expect(groups[3]!.members.map((m) => m.who)).toEqual(['c']);
    ok(3);
    expect(await again).toBe('group c3');
    expect(alone.map((m) => m.who)).toEqual(['c']);
  });

  it('keeps nobody alone after a rollback for a lock held outside the group', async () => {
    const { shared, groups, ok } = gate();
    const first = shared.run({ who: 'a', n: 1 });
    groups[0]!.end({ committed: false, culprits: [] });
    expect(await first).toBe('alone a1');
    const again = shared.run({ who: 'a', n: 2 });
    expect(groups).toHaveLength(2);
    ok(1);
    expect(await again).toBe('group a2');
  });

  it('treats a group runner that throws as a rollback', async () => {
    const shared = new SharedCommits<Member, string>(
      () => Promise.reject(new Error('connection lost')),
      async (member) => `alone ${member.who}`,
      (member) => member.who,
      { slots: 2, maxSize: 4, aloneForMs: 1000, elapsed: () => 0 },
    );
    expect(await shared.run({ who: 'a', n: 1 })).toBe('alone a');
  });

  it('gives every member the group’s error when running alone would not help (the database is gone)', async () => {
    const tried: string[] = [];
    const shared = new SharedCommits<Member, string>(
      async () => ({ error: new Error('database unavailable') }),
      async (member) => {
        tried.push(member.who);
        return 'alone';
      },
      (member) => member.who,
      { slots: 1, maxSize: 4, aloneForMs: 1000, elapsed: () => 0 },
    );
    await expect(shared.run({ who: 'a', n: 1 })).rejects.toThrow('database unavailable');
    expect(tried).toEqual([]);
  });

  it('passes on the error of a member who then fails alone', async () => {
    const shared = new SharedCommits<Member, string>(
      async () => ({ committed: false as const, culprits: 'all' as const }),
      () => Promise.reject(new Error('database down')),
      (member) => member.who,
      { slots: 1, maxSize: 4, aloneForMs: 1000, elapsed: () => 0 },
    );
    await expect(shared.run({ who: 'a', n: 1 })).rejects.toThrow('database down');
  });
});

describe('what a shared transaction may send', () => {
  it.each([
    ['SELECT id FROM task WHERE unit_id = 3', true],
    ['  select 1', true],
    ['COMMIT', true],
    ["INSERT INTO inbound_message (dedupe_key) VALUES ('k')", true],
    ['UPDATE inbound_message SET status = ? WHERE id = ?', true],
    [
      'INSERT INTO `conversation_state`(`userid`) VALUES (?) ON DUPLICATE KEY UPDATE `step` = VALUES(`step`)',
      true,
    ],
    ['DELETE FROM `conversation_state` WHERE `userid` = ?', true],
    ['INSERT INTO `outbox_message`(`key`) VALUES (?)', true],
    ['INSERT  IGNORE INTO `outbox_message`(`id`, `idempotency_key`) VALUES (DEFAULT, ?)', true],
    ['INSERT IGNORE INTO `task`(`id`) VALUES (DEFAULT)', false],
    ['INSERT INTO `audit_log`(`action`) VALUES (?)', false],
    ['UPDATE `task` SET `status` = ?', false],
    ['UPDATE inbound_message_archive SET x = 1', false],
    ['DELETE FROM `outbox_message_x`', false],
    ['SELECT id FROM person WHERE userid = ? FOR UPDATE SKIP LOCKED', true],
    ['SELECT id FROM task WHERE id = 1 FOR UPDATE', false],
    ['SELECT id FROM task WHERE id = 1 FOR SHARE', false],
    ['SELECT id FROM task WHERE id = 1 LOCK IN SHARE MODE', false],
    ['SELECT id FROM task WHERE id = 1 FOR UPDATE NOWAIT', true],
    ['UPDATE conversation_state c, person p SET p.role = 1', false],
    ['UPDATE inbound_message m JOIN task t ON t.id = 1 SET t.status = 1', false],
    ['DELETE FROM inbound_message', false],
    ['SAVEPOINT typeorm_1', false],
    ['SET TRANSACTION ISOLATION LEVEL SERIALIZABLE', false],
    ['DROP TABLE person', false],
    ['CALL refresh()', false],
  ])('%s → %s', (sql, allowed) => {
    expect(refuseInSharedCommit(sql) === undefined).toBe(allowed);
  });
});
