// Every route the bot has, in one place. Feature modules contribute commands, card actions,
// flows, event and file routes; the router tries them in its fixed order.
import { greetOnEnter } from './greet.js';
import { helpCommand, helpReply } from './help.js';
import { Router } from './router.js';
import type { CardAction, Command, EventRoute, FileRoute, Flow } from './types.js';

export function buildRouter(): Router {
  const commands: Command[] = [];
  commands.push(helpCommand(() => commands));
  const cardActions: CardAction[] = [];
  const events: EventRoute[] = [greetOnEnter];
  const flows: Flow[] = [];
  const files: FileRoute[] = [];
  return new Router({ commands, cardActions, events, flows, files, help: helpReply });
}
