// The one explicit list of entities; the data source and the migration generator both use it.
import { AccountFiling } from './account-filing.js';
import { AuditLog } from './audit-log.js';
import { BoardSession } from './board-session.js';
import { Broadcast } from './broadcast.js';
import { BroadcastRun } from './broadcast-run.js';
import { CalendarDay } from './calendar-day.js';
import { CalendarYear } from './calendar-year.js';
import { CaseCall } from './case-call.js';
import { ConversationState } from './conversation-state.js';
import { DomainAllocation } from './domain-allocation.js';
import { DomainApprover, DomainZone } from './domain-zone.js';
import { ExtensionRequest } from './extension-request.js';
import { GroupRobot } from './group-robot.js';
import { GuestbookMessage } from './guestbook-message.js';
import { GuestbookReviewSetting } from './guestbook-review-setting.js';
import { InboundMessage } from './inbound-message.js';
import { JobRun } from './job-run.js';
import { Lease } from './lease.js';
import { MediaAccount } from './media-account.js';
import { Notice } from './notice.js';
import { OutboxMessage } from './outbox-message.js';
import { Person } from './person.js';
import { RepostAssignment } from './repost-assignment.js';
import { RepostItem } from './repost-item.js';
import { RepostLink } from './repost-link.js';
import { StoredFile, StoredFileChunk } from './stored-file.js';
import { Task } from './task.js';
import { TaskReply } from './task-reply.js';
import { TaskReview } from './task-review.js';
import { TypicalCase } from './typical-case.js';
import { Unit } from './unit.js';
import { UrgeLog } from './urge-log.js';
import { UnitSupervisor } from './unit-supervisor.js';
import { UnitVersion } from './unit-version.js';
import { Website } from './website.js';
import { WecomToken } from './wecom-token.js';

export const entities = [
  AccountFiling,
  AuditLog,
  BoardSession,
  Broadcast,
  BroadcastRun,
  CalendarDay,
  CalendarYear,
  CaseCall,
  ConversationState,
  DomainAllocation,
  DomainApprover,
  DomainZone,
  ExtensionRequest,
  GroupRobot,
  GuestbookMessage,
  GuestbookReviewSetting,
  InboundMessage,
  JobRun,
  Lease,
  MediaAccount,
  Notice,
  OutboxMessage,
  Person,
  RepostAssignment,
  RepostItem,
  RepostLink,
  StoredFile,
  StoredFileChunk,
  Task,
  TaskReply,
  TaskReview,
  TypicalCase,
  Unit,
  UnitSupervisor,
  UnitVersion,
  UrgeLog,
  Website,
  WecomToken,
];
