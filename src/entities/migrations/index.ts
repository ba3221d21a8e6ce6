// MySQL/MariaDB migrations in order. Generate a new one with `npm run migration:generate -- Name`.
import type { MigrationInterface } from 'typeorm';
import { Foundation1795768225085 } from './1795768225085-Foundation.js';
import { Directory1795768539469 } from './1795768539469-Directory.js';
import { Tasks1795768879170 } from './1795768879170-Tasks.js';
import { GuestbookFilingsDomains1795768891610 } from './1795768891610-GuestbookFilingsDomains.js';
import { Jobs1795768928241 } from './1795768928241-Jobs.js';
import { InboundPassiveReply1795769393307 } from './1795769393307-InboundPassiveReply.js';
import { TypicalCases1795769553973 } from './1795769553973-TypicalCases.js';
import { TaskBatches1795771039993 } from './1795771039993-TaskBatches.js';
import { DialogActor1796457834400 } from './1796457834400-DialogActor.js';
import { PersonalInformation1796458054873 } from './1796458054873-PersonalInformation.js';
import { ForgetWhatNeedNotBeKept1796458054874 } from './1796458054874-ForgetWhatNeedNotBeKept.js';
import { UploadDrafts1796458531869 } from './1796458531869-UploadDrafts.js';
import { ProvisionalDeadlines1796458761942 } from './1796458761942-ProvisionalDeadlines.js';
import { DomainHistory1796458961945 } from './1796458961945-DomainHistory.js';
import { WebsiteAddress1796463925095 } from './1796463925095-WebsiteAddress.js';
import { UnitVersion1796465799885 } from './1796465799885-UnitVersion.js';
import { CaseReviewCards1796468811198 } from './1796468811198-CaseReviewCards.js';
import { DomainZonesGuestbookReview1796469642331 } from './1796469642331-DomainZonesGuestbookReview.js';
import { Reposts1796471336904 } from './1796471336904-Reposts.js';

export const migrations: (new () => MigrationInterface)[] = [
  Foundation1795768225085,
  Directory1795768539469,
  Tasks1795768879170,
  GuestbookFilingsDomains1795768891610,
  Jobs1795768928241,
  InboundPassiveReply1795769393307,
  TypicalCases1795769553973,
  TaskBatches1795771039993,
  DialogActor1796457834400,
  PersonalInformation1796458054873,
  ForgetWhatNeedNotBeKept1796458054874,
  UploadDrafts1796458531869,
  ProvisionalDeadlines1796458761942,
  DomainHistory1796458961945,
  WebsiteAddress1796463925095,
  UnitVersion1796465799885,
  CaseReviewCards1796468811198,
  DomainZonesGuestbookReview1796469642331,
  Reposts1796471336904,
];
