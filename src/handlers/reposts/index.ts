// 重要信息转载: 转载任务 (supervisors), 转载 Z3 and the card's 提交转载链接 (liaisons), the
// supervisors' one-click decision on a link to confirm, 转载进度 and 转载核查.
import type { Feature } from '../types.js';
import { repostAssignCommand, repostAssignFlow } from './assign.js';
import { repostDecisionActions } from './decide.js';
import { repostCheckCommand, repostProgressCommand } from './status.js';
import { repostSubmitAction, repostSubmitCommand, repostSubmitFlow } from './submit.js';

export const repostsFeature: Feature = {
  name: 'reposts',
  commands: [repostSubmitCommand, repostProgressCommand, repostAssignCommand, repostCheckCommand],
  cardActions: [repostSubmitAction, ...repostDecisionActions],
  flows: [repostAssignFlow, repostSubmitFlow],
};
