import { systemClock } from '../clock.js';
import { Person } from '../entities/person.js';
import { changedCount, describeImportErrors, describeSummary } from '../services/directory/import.js';
import { sampleUserLines, sampleUsers, seedDemo } from '../services/directory/demo.js';
import { EXIT_FAILURE, EXIT_OK, cliActor, writeLine, writeUsage } from './common.js';
import type { CliCommand } from './types.js';

const USAGE = 'seed-demo [--force]';

export const seedDemoCommand: CliCommand = {
  name: 'seed-demo',
  summary: '载入虚构的演示通讯录（11 个区县和功能区、市直部门、54 个网站、660 个新媒体账号）',
  usage: USAGE,
  async run(args, io) {
    const force = args.includes('--force');
    if (args.some((arg) => arg !== '--force')) return writeUsage(io, USAGE);
    const dataSource = await io.openDatabase();
    // Demo people are all demo_…: anyone else means this is a real directory.
    const people = await dataSource.getRepository(Person).find({ select: { userid: true } });
    const real = people.filter((person) => !person.userid.startsWith('demo_')).length;
    if (real > 0 && !force) {
      writeLine(
        io.stderr,
        `数据库中已有 ${real} 名真实人员，未载入演示数据（演示数据只用于空库或演示库；确需载入请加 --force）。`,
      );
      return EXIT_FAILURE;
    }
    const result = await dataSource.transaction((tx) =>
      seedDemo(tx, { actor: cliActor(), now: systemClock.now() }),
    );
    if (!result.ok) {
      writeLine(io.stderr, `演示数据${describeImportErrors(result.errors)}`);
      return EXIT_FAILURE;
    }
    const unchanged = changedCount(result.summary) === 0 ? '（已存在，没有变化）' : '';
    writeLine(io.stdout, `已载入演示通讯录（虚构数据）${unchanged}：`);
    for (const line of describeSummary(result.summary)) writeLine(io.stdout, `  ${line}`);
    const samples = await sampleUsers(dataSource.manager);
    for (const line of sampleUserLines({ seeded: false, sampleUserids: samples })) writeLine(io.stdout, line);
    return EXIT_OK;
  },
};
