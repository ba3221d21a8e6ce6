// What a handler's result becomes once its transaction commits: the passive reply that rides on
// the HTTP response (a single short text, or a button update of the card just clicked), and outbox
// rows for everything else (other replies, a card updated later, notifications to other members).
import type { PassiveReply } from '../bot/delivery.js';
import type { HandlerResult } from '../handlers/types.js';
import type { Inbound } from '../messages/inbound.js';
import { MAX_CONTENT_BYTES, shownCard, type OutMessage } from '../messages/outbound.js';
import { DUPLICATE_CHECK, messagesToItems, type OutboxItem } from '../outbox/queue.js';

/**
 * A single short text (or a button update for a card click) can ride on the HTTP response, while
 * there is time left (`inTime`); everything else goes through the outbox.
 */
export function choosePassive(
  inbound: Inbound,
  userid: string,
  replies: OutMessage[],
  result: HandlerResult,
  inTime: boolean,
): PassiveReply | undefined {
  if (!inTime) return undefined;
  // A passive button update can only change the card this very click came from.
  const clicked = inbound.type === 'event' && inbound.card && !result.cardResponseCode;
  if (result.cardUpdate?.type === 'updateButton' && clicked) {
    return { type: 'update_button', replaceName: result.cardUpdate.replaceName, toUser: userid };
  }
  const only = replies.length === 1 ? replies[0] : undefined;
  if (only?.type === 'text' && Buffer.byteLength(only.content, 'utf8') <= MAX_CONTENT_BYTES) {
    return { type: 'text', content: only.content, toUser: userid };
  }
  return undefined;
}

/** The outbox rows of a handled delivery: `deliveryKey` names it (in:<id> or in:<dedupe key>). */
export function outboxItemsOf(
  deliveryKey: string,
  inbound: Inbound,
  userid: string,
  replies: OutMessage[],
  result: HandlerResult,
  passive: PassiveReply | undefined,
): OutboxItem[] {
  const items: OutboxItem[] = [];
  if (!passive || passive.type !== 'text') {
    items.push(
      ...messagesToItems(userid, replies, {
        keyPrefix: deliveryKey,
        source: 'reply',
        duplicateCheckInterval: DUPLICATE_CHECK.reply(deliveryKey),
      }),
    );
  }
  const responseCode =
    result.cardResponseCode ?? (inbound.type === 'event' ? inbound.card?.responseCode : undefined);
  if (result.cardUpdate && responseCode && passive?.type !== 'update_button') {
    const update = result.cardUpdate;
    const payload =
      update.type === 'updateButton'
        ? { userids: [userid], response_code: responseCode, button: { replace_name: update.replaceName } }
        : { userids: [userid], response_code: responseCode, template_card: shownCard(update.card) };
    items.push({ key: `${deliveryKey}:card`, to: userid, channel: 'card_update', payload, source: 'card' });
  }
  for (const note of result.notify ?? []) {
    for (const to of new Set(note.to)) {
      items.push(
        ...messagesToItems(to, [note.message], {
          keyPrefix: note.key,
          source: note.source ?? 'notice',
          notBefore: note.notBefore,
        }),
      );
    }
  }
  return items;
}
