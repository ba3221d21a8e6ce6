// What handlers get besides the transaction: long-lived dependencies and helpers bound to the
// current transaction and clock. Domain rules themselves are plain functions in this folder.
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import type { MediaDownload } from '../messages/inbound.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { ContentService } from './content/service.js';
import type { CalendarProvider } from './calendar/provider.js';
import { writeAudit, type AuditEntry } from './shared/audit.js';

/** Long-lived dependencies, built once by the composition root. */
export interface AppDeps {
  config: Readonly<Config>;
  clock: Clock;
  logger: Logger;
  /**
   * Downloads a file or image a member sent (WeCom media/get), reading at most `maxBytes`: a
   * larger file is refused unread.
   */
  fetchMedia: (mediaId: string, maxBytes: number) => Promise<MediaDownload>;
  /** Every parse of member-supplied content and every fetch of a page they link to. */
  content: ContentService;
  /** The working calendar (cached; invalidate after an import). */
  calendar: CalendarProvider;
}

export interface AppServices extends AppDeps {
  audit: (entry: AuditEntry) => Promise<void>;
}

export function createServices(tx: EntityManager, deps: AppDeps, now: Date): AppServices {
  return {
    ...deps,
    audit: (entry) => writeAudit(tx, now, entry),
  };
}
