// `duban <command>`: the CLI entry. Each command lives in src/commands/.
import { ConfigError, loadConfig } from './config.js';
import { DatabaseVersionError, configuredDatabaseTarget, openDatabase } from './db/data-source.js';
import { commands } from './commands/index.js';
import type { CliIO } from './commands/types.js';
import type { DataSource } from 'typeorm';

function usage(): string {
  const lines = ['用法 / usage: npx duban <command> [args]', ''];
  for (const command of commands) lines.push(`  ${command.usage.padEnd(44)} ${command.summary}`);
  return `${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    process.stderr.write(`未知命令 / unknown command: ${name}\n\n${usage()}`);
    return 2;
  }
  let dataSource: DataSource | undefined;
  const io: CliIO = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    async openDatabase() {
      const config = loadConfig();
      dataSource ??= await openDatabase(configuredDatabaseTarget(config));
      return dataSource;
    },
  };
  try {
    return await command.run(args, io);
  } finally {
    if (dataSource?.isInitialized && name !== 'serve') await dataSource.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    // `serve` keeps running; everything else exits with its code.
    if (code !== -1) process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof DatabaseVersionError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exitCode = 1;
  },
);
