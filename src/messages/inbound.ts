// What a member sends, as typed values (the transport parses WeCom's XML into these; see
// src/bot/inbound.ts). Unknown message types and events are kept (type 'other') so that they are
// recorded and answered, never dropped.

export interface Common {
  /** The member's userid (or `sys` for system events). */
  fromUser: string;
  /** The CorpID. */
  toUser: string;
  createTime: number;
  agentId: string | undefined;
}

export interface TextMessage extends Common {
  type: 'text';
  msgId: string;
  content: string;
}
export interface ImageMessage extends Common {
  type: 'image';
  msgId: string;
  mediaId: string;
  picUrl: string | undefined;
}
export interface FileMessage extends Common {
  type: 'file';
  msgId: string;
  mediaId: string;
  fileName: string | undefined;
}
/** A forwarded link (an article shared into the app): title, description and address. */
export interface LinkMessage extends Common {
  type: 'link';
  msgId: string;
  title: string;
  description: string;
  url: string;
}
export interface EventMessage extends Common {
  type: 'event';
  event: string;
  eventKey: string;
  /** template_card_event only. */
  card?: { taskId: string; cardType: string; responseCode: string; selected: Record<string, string[]> };
}
export interface OtherMessage extends Common {
  type: 'other';
  msgType: string;
  msgId: string | undefined;
}

export type Inbound = TextMessage | ImageMessage | FileMessage | LinkMessage | EventMessage | OtherMessage;

/** A file or image a member sent, downloaded from WeCom (media/get). */
export interface MediaFile {
  data: Buffer;
  fileName: string;
  contentType: string;
}

/** A download that stopped at its byte cap: the file is refused without being read further. */
export type MediaDownload =
  { ok: true; file: MediaFile } | { ok: false; tooLarge: true; limitBytes: number; fileName: string };
