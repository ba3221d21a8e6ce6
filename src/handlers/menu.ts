// The app menu (doc 90231, menu/create): 我的任务 · 提交案例 · 更多 (进度看板, 检查个人信息, 帮助).
// A click sends a `click` event whose key names the command it stands for (`cmd:<command>`), so
// menu clicks run the very same handlers as typed commands; 进度看板 opens the board, or, when no
// public address of the board is configured (a phone could not open it), shows 进度 in chat.

export const MENU_COMMAND_PREFIX = 'cmd:';

export function buildMenu(boardUrl: string | undefined): Record<string, unknown> {
  const board = boardUrl
    ? { type: 'view', name: '进度看板', url: boardUrl }
    : { type: 'click', name: '进度看板', key: `${MENU_COMMAND_PREFIX}进度` };
  return {
    button: [
      { type: 'click', name: '我的任务', key: `${MENU_COMMAND_PREFIX}我的任务` },
      { type: 'click', name: '提交案例', key: `${MENU_COMMAND_PREFIX}提交案例` },
      {
        name: '更多',
        sub_button: [
          board,
          { type: 'click', name: '检查个人信息', key: `${MENU_COMMAND_PREFIX}检查` },
          { type: 'click', name: '帮助', key: `${MENU_COMMAND_PREFIX}帮助` },
        ],
      },
    ],
  };
}
