// Reads the decrypted callback XML into a typed delivery (src/messages/inbound.ts), and the key a
// WeCom retry of it is recognised by.
import { createHash } from 'node:crypto';
import type { Common, EventMessage, Inbound } from '../messages/inbound.js';
import { childText, parseXml, XmlError, type XmlElement, type XmlValue } from './xml.js';

export type { Inbound };

function required(node: XmlElement, name: string): string {
  const value = childText(node, name);
  if (value === undefined) throw new XmlError(`missing <${name}>`);
  return value;
}

function asList(value: XmlValue | undefined): XmlValue[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** SelectedItems/SelectedItem{QuestionKey, OptionIds/OptionId[]} → { questionKey: optionIds }. */
function parseSelection(node: XmlElement): Record<string, string[]> {
  const selected: Record<string, string[]> = {};
  const items = node.SelectedItems;
  if (!items || typeof items !== 'object' || Array.isArray(items)) return selected;
  for (const item of asList(items.SelectedItem)) {
    if (typeof item !== 'object' || Array.isArray(item)) continue;
    const key = childText(item, 'QuestionKey') ?? '';
    const options = item.OptionIds;
    const ids =
      options && typeof options === 'object' && !Array.isArray(options)
        ? asList(options.OptionId).filter((o): o is string => typeof o === 'string')
        : [];
    selected[key] = ids;
  }
  return selected;
}

export function parseInbound(xml: string): Inbound {
  const node = parseXml(xml);
  const createTime = Number(required(node, 'CreateTime'));
  if (!Number.isSafeInteger(createTime)) throw new XmlError('bad <CreateTime>');
  const common: Common = {
    fromUser: required(node, 'FromUserName'),
    toUser: required(node, 'ToUserName'),
    createTime,
    agentId: childText(node, 'AgentID'),
  };
  const msgType = required(node, 'MsgType');
  const msgId = childText(node, 'MsgId');
  switch (msgType) {
    case 'text':
      return {
        ...common,
        type: 'text',
        msgId: required(node, 'MsgId'),
        content: childText(node, 'Content') ?? '',
      };
    case 'image':
      return {
        ...common,
        type: 'image',
        msgId: required(node, 'MsgId'),
        mediaId: required(node, 'MediaId'),
        picUrl: childText(node, 'PicUrl'),
      };
    case 'file':
      return {
        ...common,
        type: 'file',
        msgId: required(node, 'MsgId'),
        mediaId: required(node, 'MediaId'),
        fileName: childText(node, 'FileName') ?? childText(node, 'Title'),
      };
    case 'link':
      return {
        ...common,
        type: 'link',
        msgId: required(node, 'MsgId'),
        title: childText(node, 'Title') ?? '',
        description: childText(node, 'Description') ?? '',
        url: childText(node, 'Url') ?? '',
      };
    case 'event': {
      const event = required(node, 'Event');
      const message: EventMessage = {
        ...common,
        type: 'event',
        event,
        eventKey: childText(node, 'EventKey') ?? '',
      };
      if (event === 'template_card_event') {
        message.card = {
          taskId: childText(node, 'TaskId') ?? '',
          cardType: childText(node, 'CardType') ?? '',
          responseCode: childText(node, 'ResponseCode') ?? '',
          selected: parseSelection(node),
        };
      }
      return message;
    }
    default:
      return { ...common, type: 'other', msgType, msgId };
  }
}

/**
 * The dedupe key of a delivery: MsgId for messages; for events a hash of the whole decrypted XML,
 * because FromUserName+CreateTime collides for distinct events in the same second.
 */
export function dedupeKey(inbound: Inbound, xml: string): string {
  const msgId = inbound.type === 'event' ? undefined : inbound.msgId;
  if (msgId) return `msg:${msgId}`;
  return `xml:${createHash('sha1').update(xml).digest('hex')}`;
}
