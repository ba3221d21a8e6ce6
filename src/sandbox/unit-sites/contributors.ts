// Who adds pages to the sandbox's fictional unit sites, in order. A feature that reads the units'
// sites (repost checks, the patrol) adds its own module here, so that `npm start` shows it working.
import { baseContent } from './base.js';
import type { SiteContributor } from './pages.js';
import { repostContent } from './reposts.js';

export const SITE_CONTRIBUTORS: readonly SiteContributor[] = [baseContent, repostContent];
