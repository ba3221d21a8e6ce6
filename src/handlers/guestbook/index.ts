// "我为政府网站找错" guestbook messages: 留言登记, 留言办结 (with the optional review), 留言列表, 留言导入.
import type { Feature } from '../types.js';
import { answerCommand, answerFlow } from './answer.js';
import { importCommand, importFileRoute, importFlow } from './import.js';
import { listCommand } from './list.js';
import { registerCommand, registerFlow } from './register.js';
import { returnFlow, reviewCardActions, reviewCommand, reviewSettingCommand } from './review.js';

export const guestbookFeature: Feature = {
  name: 'guestbook',
  commands: [registerCommand, answerCommand, listCommand, importCommand, reviewCommand, reviewSettingCommand],
  cardActions: reviewCardActions,
  flows: [registerFlow, answerFlow, importFlow, returnFlow],
  files: [importFileRoute],
};
