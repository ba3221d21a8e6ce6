// Supervisor status: 进度, 逾期, 催办, 导出进度 and 周报, all rendered from services/progress/model.ts.
import type { Feature } from '../types.js';
import { exportCommand } from './export.js';
import { unitExportCommand } from './unit-export.js';
import { urgeCommand, urgeViewAction } from './urge.js';
import { overdueCommand, progressCommand, weeklyCommand } from './view.js';

export const progressFeature: Feature = {
  name: 'progress',
  commands: [progressCommand, overdueCommand, urgeCommand, exportCommand, weeklyCommand, unitExportCommand],
  cardActions: [urgeViewAction],
};
