import { text } from '../messages/outbound.js';
import { ROLE_LABELS } from '../entities/person.js';
import type { EventRoute } from './types.js';

/** enter_agent fires each time the app is opened: greet at most once a day (outbox key per day). */
export const greetOnEnter: EventRoute = {
  event: 'enter_agent',
  handle: async (ctx) => {
    const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(ctx.now);
    const unit = ctx.user.unit ? `${ctx.user.unit.name}` : '';
    return {
      notify: [
        {
          to: [ctx.user.userid],
          key: `greet:${day}`,
          source: 'greet',
          message: text(
            `${ctx.user.name}您好！我是督办助手。${unit ? `您是${unit}的` : '您的角色：'}${ROLE_LABELS[ctx.user.role]}。发送“帮助”查看可用指令。`,
          ),
        },
      ],
    };
  },
};
