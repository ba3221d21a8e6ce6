import { serve } from '../main.js';
import type { CliCommand } from './types.js';

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: '启动机器人（npm start）/ start the bot',
  usage: 'serve',
  async run() {
    const bot = await serve();
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`收到 ${signal}，正在停止…\n`);
      bot.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`停止时出错：${String(error)}\n`);
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    return -1;
  },
};
