// The pages of one fictional unit site, as data: a path → page map that feature modules add to
// (src/sandbox/unit-sites/contributors.ts lists them), served by server.ts.

export interface SitePage {
  status?: number;
  contentType?: string;
  body: string | Buffer;
  /** For conditional GET (If-Modified-Since): when the page last changed. */
  lastModified?: Date;
  /** Extra response headers (Location for a redirect …). */
  headers?: Record<string, string>;
}

/** A unit site as the sandbox serves it: the directory's row and its pages. */
export interface FictionalSite {
  siteCode: string;
  name: string;
  unitName: string;
  /** Paths (`/`, `/col/gzdt/index.html`, `/robots.txt` …) → pages. */
  pages: Map<string, SitePage>;
}

/** Adds or changes pages of a site; `now` is when the sandbox starts (dates are relative to it). */
export type SiteContributor = (site: FictionalSite, now: Date) => void;

export function html(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** 2026-12-05 in Shanghai, for list pages. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
