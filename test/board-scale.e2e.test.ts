// The board with a thousand units: the page stays small (the grid starts with the red and yellow
// units, the rest waits in the data block for "显示全部"; lists stop at their limits), and its
// numbers are still the status model's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLAG_LIST_LIMIT, GRID_FIRST_ROWS } from '../src/board/pages.js';
import { computeProgress } from '../src/services/progress/model.js';
import { TestBrowser, pageNumbers, type Page } from './support/board-browser.js';
import { isRedUnit, isYellowUnit, seedLargeDirectory } from './support/board-seed.js';
import { startTestBot, type TestBot } from './support/harness.js';
import { at } from './support/progress-seed.js';

const UNITS = 1000;
let bot: TestBot;
let unitIds: number[];
let page: Page;

beforeAll(async () => {
  bot = await startTestBot({ now: at('2026-02-14 10:00').toISOString() });
  unitIds = await seedLargeDirectory(bot.database.dataSource, UNITS);
  await bot.addPerson('sup', { name: '李督办', role: 'supervisor', unit: '市大数据局' });
  bot.fake.setBrowserUser('sup');
  page = await new TestBrowser().get(`${bot.url}/board`);
}, 120_000);

afterAll(async () => {
  await bot?.close();
});

const red = Array.from({ length: UNITS }, (_, i) => i).filter(isRedUnit);
const yellow = Array.from({ length: UNITS }, (_, i) => i).filter(isYellowUnit);
/** Grid rows are coloured by their worst cell: yellow rows are the yellow units that are not red. */
const yellowOnly = yellow.filter((i) => !isRedUnit(i));

describe('a thousand units', () => {
  it('keeps the page small: the HTML has the first red rows, the data block the rest', () => {
    expect(page.status).toBe(200);
    // About 1000 units × (name, id, four cells) in the data block, the first 50 rows as HTML.
    expect(page.bytes.length).toBeLessThan(120_000);
    const rows = [...page.body.matchAll(/<tr data-colour="(\w+)"><th><a href="\/board\/unit\/(\d+)">/g)];
    expect(rows).toHaveLength(GRID_FIRST_ROWS);
    expect(rows.every((row) => row[1] === 'red')).toBe(true);
    const data = JSON.parse(
      /<script id="board-data" type="application\/json">(.*?)<\/script>/s.exec(page.body)![1]!,
    ) as {
      gridRest: [number, string, string][];
    };
    expect(data.gridRest).toHaveLength(UNITS - GRID_FIRST_ROWS);
    // Every unit once, across the HTML and the data block.
    const all = [...rows.map((row) => Number(row[2])), ...data.gridRest.map((row) => row[0])];
    expect(new Set(all)).toEqual(new Set(unitIds));
    // After the rest of the red units come the yellow ones, then the green.
    const colours = data.gridRest.map((row) =>
      row[2].includes('r') ? 'r' : row[2].includes('y') ? 'y' : 'g',
    );
    expect(colours.indexOf('y')).toBe(red.length - GRID_FIRST_ROWS);
    expect(colours.indexOf('g')).toBe(red.length + yellowOnly.length - GRID_FIRST_ROWS);
    expect(page.body).toContain(`显示全部 ${UNITS} 个单位（另有 ${UNITS - GRID_FIRST_ROWS} 个）`);
  });

  it('stops the lists at their limit and points to the export', () => {
    const listed = page.body.slice(page.body.indexOf('id="overdue"'), page.body.indexOf('id="due-soon"'));
    expect([...listed.matchAll(/<li>/g)]).toHaveLength(FLAG_LIST_LIMIT);
    expect(listed).toContain(`另有 ${red.length - FLAG_LIST_LIMIT} 个单位`);
  });

  it('shows the status model’s numbers', async () => {
    const model = await computeProgress(bot.database.dataSource.manager, {
      now: bot.clock.now(),
      calendar: await bot.runtime.deps.calendar.get(),
    });
    expect(model.red).toHaveLength(red.length);
    expect(model.yellow).toHaveLength(yellow.length);
    expect(pageNumbers(page.body)).toMatchObject({
      total: model.totals.total,
      overdue: model.totals.overdue,
      pending: model.totals.pending,
      submitted: model.totals.submitted,
      done: model.totals.done,
      redUnits: red.length,
      yellowUnits: yellow.length,
    });
  });
});
