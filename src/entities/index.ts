// The one explicit list of entities; the data source and the migration generator both use it.
import { AccountFiling } from './account-filing.js';
import { AuditLog } from './audit-log.js';
import { CalendarDay } from './calendar-day.js';
import { CalendarYear } from './calendar-year.js';
import { ConversationState } from './conversation-state.js';
import { DomainAllocation } from './domain-allocation.js';
import { GroupRobot } from './group-robot.js';
import { GuestbookMessage } from './guestbook-message.js';
import { InboundMessage } from './inbound-message.js';
import { Lease } from './lease.js';
import { MediaAccount } from './media-account.js';
import { OutboxMessage } from './outbox-message.js';
import { Person } from './person.js';
import { StoredFile, StoredFileChunk } from './stored-file.js';
import { Unit } from './unit.js';
import { Website } from './website.js';
import { WecomToken } from './wecom-token.js';

export {
  AccountFiling,
  AuditLog,
  CalendarDay,
  CalendarYear,
  ConversationState,
  DomainAllocation,
  GroupRobot,
  GuestbookMessage,
  InboundMessage,
  Lease,
  MediaAccount,
  OutboxMessage,
  Person,
  StoredFile,
  StoredFileChunk,
  Unit,
  WecomToken,
  Website,
};

export const entities = [
  AccountFiling,
  AuditLog,
  CalendarDay,
  CalendarYear,
  ConversationState,
  DomainAllocation,
  GroupRobot,
  GuestbookMessage,
  InboundMessage,
  Lease,
  MediaAccount,
  OutboxMessage,
  Person,
  StoredFile,
  StoredFileChunk,
  Unit,
  WecomToken,
  Website,
];
