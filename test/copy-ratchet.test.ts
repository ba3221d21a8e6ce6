// Copy in one place (issue 17), as a ratchet: Chinese string literals in src/handlers and
// src/services outside views modules, per file, may only go down from the committed baseline
// (test/copy-baseline.json). A file that gains one, or a new non-views file with any, fails; after
// moving words into a views module, lower the baseline with `npx tsx scripts/copy-literals.ts --write`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BASELINE, countChineseLiterals, isViewsModule, scanCopy } from '../scripts/copy-literals.js';

describe('counting Chinese literals', () => {
  it.each([
    ["const a = '进度';", 1],
    ['const a = "进度";', 1],
    ['const a = `截止 ${when}，还剩${n}天`;', 1],
    ['const a = `${x}`;', 0],
    ['const a = `T${id}`;', 0],
    ["const a = 'plain';", 0],
    ['// 注释里的中文\nconst a = 1;', 0],
    ['/** 文档注释：导出进度 */\nconst a = 1;', 0],
    ['const re = /^征集\\s*\\d+$/u;', 0],
    ["import { x } from './视图.js';", 0],
    ["const a = f('一', `二${g('三')}`);", 3],
    ["const o = { '任务': 1 };", 1],
    ["type Label = '待办' | '已办结';", 2],
  ])('%s → %i', (source, expected) => {
    expect(countChineseLiterals(source)).toBe(expected);
  });

  it.each([
    ['src/services/progress/views.ts', true],
    ['src/handlers/flow/views.ts', true],
    ['src/services/open-items/provisional-views.ts', true],
    ['src/services/x/views/cards.ts', true],
    ['src/services/progress/model.ts', false],
    ['src/services/reviews.ts', false],
  ])('%s is a views module: %s', (path, expected) => {
    expect(isViewsModule(path)).toBe(expected);
  });
});

describe('the ratchet', () => {
  it('no file outside views modules has more Chinese literals than the baseline allows', () => {
    const baseline = JSON.parse(readFileSync(BASELINE, 'utf8')) as Record<string, number>;
    const now = scanCopy();
    const grown = Object.entries(now)
      .filter(([path, count]) => count > (baseline[path] ?? 0))
      .map(([path, count]) => `${path}: ${count} (baseline ${baseline[path] ?? 0})`);
    expect(grown, 'move these words into the feature’s views module').toEqual([]);
  });
});
