// The role rules as a table: what each role may do, which units it sees, and the refusal texts.
import { describe, expect, it } from 'vitest';
import type { Role } from '../src/entities/person.js';
import {
  ADMIN_ONLY_TEXT,
  can,
  canSeeUnit,
  checkDeactivate,
  checkSetLiaison,
  denialAudit,
  denialText,
  isAllowed,
  rolesWith,
  SUPERVISOR_ONLY_TEXT,
  visibleItems,
  visibleTopUnitIds,
  type Capability,
} from '../src/services/shared/permissions.js';

describe('what each role may do', () => {
  it.each<[Capability, boolean, boolean, boolean]>([
    //                   liaison supervisor admin
    ['use', true, true, true],
    ['see-all-units', false, true, true],
    ['supervise', false, true, true],
    ['export', false, true, true],
    ['set-liaison', false, true, true],
    ['manage-directory', false, false, true],
  ])('%s: liaison %s, supervisor %s, admin %s', (capability, liaison, supervisor, admin) => {
    expect(can('liaison', capability)).toBe(liaison);
    expect(can('supervisor', capability)).toBe(supervisor);
    expect(can('admin', capability)).toBe(admin);
    expect(rolesWith(capability)).toEqual(
      (['liaison', 'supervisor', 'admin'] as const).filter((_, i) => [liaison, supervisor, admin][i]),
    );
  });

  it.each<[Role, readonly Role[], boolean]>([
    ['liaison', ['liaison', 'supervisor', 'admin'], true],
    ['liaison', ['supervisor', 'admin'], false],
    ['supervisor', ['supervisor', 'admin'], true],
    ['supervisor', ['admin'], false],
    ['admin', ['admin'], true],
    ['admin', ['liaison'], false],
  ])('isAllowed(%s, %j) = %s', (role, allowed, expected) => {
    expect(isAllowed(role, allowed)).toBe(expected);
  });
});

describe('refusal texts', () => {
  it.each<[readonly Role[], string]>([
    [['supervisor', 'admin'], '该命令仅限督办人员使用。'],
    [['supervisor'], '该命令仅限督办人员使用。'],
    [['admin'], '该命令仅限管理员使用。'],
    [['liaison'], '该命令仅限联络员使用。'],
  ])('denialText(%j) = %s', (allowed, text) => {
    expect(denialText(allowed)).toBe(text);
  });

  it('exports the two texts the notice-facing commands use', () => {
    expect(SUPERVISOR_ONLY_TEXT).toBe('该命令仅限督办人员使用。');
    expect(ADMIN_ONLY_TEXT).toBe('该命令仅限管理员使用。');
  });

  it('describes a refusal for the audit log', () => {
    expect(denialAudit({ userid: 'li', role: 'liaison' }, 'command', '发布任务')).toEqual({
      actor: 'li',
      action: 'command:发布任务',
      target: '发布任务',
      result: 'denied',
      detail: '角色 联络员 无权使用',
    });
  });
});

describe('unit scoping', () => {
  const gaoqing = { id: 7 };
  it.each<[string, Role, { id: number } | null, number, boolean]>([
    ['a liaison, own top-level unit', 'liaison', gaoqing, 7, true],
    ['a liaison, another unit', 'liaison', gaoqing, 1, false],
    ['a liaison without a unit', 'liaison', null, 7, false],
    ['a supervisor, any unit', 'supervisor', gaoqing, 1, true],
    ['a supervisor without a unit', 'supervisor', null, 1, true],
    ['an admin, any unit', 'admin', null, 1, true],
  ])('%s', (_name, role, topUnit, unitId, expected) => {
    expect(canSeeUnit({ role, topUnit }, unitId)).toBe(expected);
  });

  it.each<[Role, { id: number } | null, number[] | undefined]>([
    ['liaison', { id: 7 }, [7]],
    ['liaison', null, []],
    ['supervisor', { id: 3 }, undefined],
    ['admin', null, undefined],
  ])('visibleTopUnitIds(%s, %j)', (role, topUnit, expected) => {
    expect(visibleTopUnitIds({ role, topUnit })).toEqual(expected);
  });

  it('filters items by their top-level unit', () => {
    const items = [
      { ref: 'T1', top: 7 },
      { ref: 'T2', top: 1 },
    ];
    expect(visibleItems({ role: 'liaison', topUnit: { id: 7 } }, items, (i) => i.top)).toEqual([items[0]]);
    expect(visibleItems({ role: 'supervisor', topUnit: null }, items, (i) => i.top)).toEqual(items);
  });
});

describe('changing people', () => {
  const supervisor = { userid: 'sup', role: 'supervisor' as const };
  const admin = { userid: 'adm', role: 'admin' as const };
  const liaison = { userid: 'li', role: 'liaison' as const };

  it.each<
    [string, { userid: string; role: Role }, { userid: string; role: Role } | undefined, string | null]
  >([
    ['a supervisor registers a new userid', supervisor, undefined, null],
    ['a supervisor moves a liaison', supervisor, { userid: 'x', role: 'liaison' }, null],
    [
      'a supervisor may not demote a supervisor',
      supervisor,
      { userid: 'other', role: 'supervisor' },
      'other 是督办员，只有管理员可以更改其角色。',
    ],
    ['a supervisor may not demote an admin', supervisor, admin, 'adm 是管理员，只有管理员可以更改其角色。'],
    ['an admin may demote a supervisor', admin, supervisor, null],
    [
      'nobody changes themselves',
      admin,
      { userid: 'ADM', role: 'admin' },
      '不能修改自己的登记信息，请联系其他督办人员或管理员。',
    ],
    ['a liaison may not', liaison, undefined, SUPERVISOR_ONLY_TEXT],
  ])('设置联络员: %s', (_name, actor, target, refusal) => {
    const check = checkSetLiaison(actor, target);
    expect(check.ok ? null : check.reason).toBe(refusal);
  });

  it.each<[string, { userid: string; role: Role }, { userid: string; role: Role }, string | null]>([
    ['an admin deactivates a liaison', admin, liaison, null],
    ['an admin deactivates a supervisor', admin, supervisor, null],
    ['an admin may not deactivate themselves', admin, admin, '不能停用自己的账号。'],
    ['a supervisor may not', supervisor, liaison, ADMIN_ONLY_TEXT],
    ['a liaison may not', liaison, supervisor, ADMIN_ONLY_TEXT],
  ])('停用: %s', (_name, actor, target, refusal) => {
    const check = checkDeactivate(actor, target);
    expect(check.ok ? null : check.reason).toBe(refusal);
  });
});
