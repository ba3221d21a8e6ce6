// Rectification tasks and reports: assign (下发任务, 通报), reply (办理), review (审核), extend (延期),
// list (我的任务) and the card buttons behind them.
import type { Feature } from '../types.js';
import { assignCommand, assignFlow } from './assign.js';
import { taskCardActions } from './cards.js';
import { extensionCommand, extensionFlow } from './extension.js';
import { myTasksCommand } from './list.js';
import { noticeCommand, noticeFlow } from './notice.js';
import { reasonFlow, reviewCommand } from './review.js';
import { submitCommand, submitFlow } from './submit.js';

export const tasksFeature: Feature = {
  name: 'tasks',
  commands: [myTasksCommand, submitCommand, extensionCommand, assignCommand, noticeCommand, reviewCommand],
  cardActions: taskCardActions,
  flows: [assignFlow, noticeFlow, submitFlow, extensionFlow, reasonFlow],
};
