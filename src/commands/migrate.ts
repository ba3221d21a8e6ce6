import type { CliCommand } from './types.js';

export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: '创建或升级数据库结构 / create or migrate the schema',
  usage: 'migrate',
  async run(_args, io) {
    const dataSource = await io.openDatabase();
    const applied = (await dataSource
      .query('SELECT name FROM schema_migrations ORDER BY id')
      .catch(() => [])) as {
      name: string;
    }[];
    io.stdout.write(`数据库结构已是最新（已应用 ${applied.length} 个迁移）/ schema up to date\n`);
    return 0;
  },
};
