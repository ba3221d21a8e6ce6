// Sends the app menu (doc 90231, menu/create) at start; what the menu holds is decided by the
// handlers (src/handlers/menu.ts).
import type { Logger } from 'pino';
import type { WeComApi } from './api-client.js';

/** Creates (or replaces) the menu at start; a failure is logged, never fatal. */
export async function ensureMenu(
  api: WeComApi,
  menu: Record<string, unknown>,
  logger: Logger,
): Promise<boolean> {
  try {
    await api.createMenu(menu);
    logger.info('app menu created');
    return true;
  } catch (error) {
    logger.warn({ err: error }, '无法创建应用菜单 / could not create the app menu');
    return false;
  }
}
