import { loadConfig } from '../config.js';
import { runChatConsole } from '../sandbox/chat-console.js';
import { readSandboxFile } from '../sandbox/sandbox.js';
import type { CliCommand } from './types.js';

export const chatCommand: CliCommand = {
  name: 'chat',
  summary: '以某个企业微信账号与沙箱中的机器人对话 / chat with the sandbox bot',
  usage: 'chat --as <userid> [--url <callback url>]',
  async run(args, io) {
    const as = args.indexOf('--as');
    const userid = as >= 0 ? args[as + 1] : undefined;
    if (!userid) {
      io.stderr.write('用法：npx duban chat --as <userid>（userid 见 npm start 打印的示例账号）\n');
      return 2;
    }
    const config = loadConfig();
    const sandbox = readSandboxFile(config.dataDir);
    if (!sandbox) {
      io.stderr.write(
        `没有找到沙箱信息（${config.dataDir}/sandbox.json）：请先在另一个终端运行 npm start。\n`,
      );
      return 1;
    }
    const url = args.indexOf('--url');
    if (url >= 0 && args[url + 1]) sandbox.callbackUrl = args[url + 1];
    await runChatConsole({
      userid,
      sandbox,
      input: io.stdin,
      output: io.stdout,
      colour: process.stdout.isTTY,
    });
    return 0;
  },
};
