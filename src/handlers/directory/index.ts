// The directory in chat: 我的信息 for everyone; 设置联络员 (supervisors, admins) and 停用 (admins).
import type { Feature } from '../types.js';
import { deactivateCommand, deactivateFlow } from './deactivate.js';
import { myInfoCommand } from './my-info.js';
import { setLiaisonCommand, setLiaisonFlow } from './set-liaison.js';

export const directoryFeature: Feature = {
  name: 'directory',
  commands: [myInfoCommand, setLiaisonCommand, deactivateCommand],
  flows: [setLiaisonFlow, deactivateFlow],
};
