// What handlers get besides the transaction: long-lived dependencies and helpers bound to the
// current transaction and clock. Domain rules themselves are plain functions in this folder.
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import type { MediaFile } from '../messages/inbound.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { ArticleResult } from './content/article-fetch.js';
import type { CalendarProvider } from './calendar/provider.js';
import { writeAudit, type AuditEntry } from './shared/audit.js';

/** Long-lived dependencies, built once by the composition root. */
export interface AppDeps {
  config: Readonly<Config>;
  clock: Clock;
  logger: Logger;
  /** Downloads a file or image a member sent (WeCom media/get). */
  fetchMedia: (mediaId: string) => Promise<MediaFile>;
  /** Reads the text of the page behind a link a member forwarded (检查). */
  fetchArticle: (url: string) => Promise<ArticleResult>;
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
