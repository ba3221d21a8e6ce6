// Sandbox mode: the demo directory's (fictional) websites come alive as sites on local ports, so
// that features that read the units' sites (repost checks, the patrol) can be tried with
// `npm start`. Each one's home_url is pointed at its local server at every start (the port of the
// last start when it is free, so that links and patrol findings recorded before stay valid);
// websites of a directory imported into the sandbox keep their own addresses.
import { Like, type DataSource } from 'typeorm';
import { Unit } from '../../entities/unit.js';
import { Website } from '../../entities/website.js';
import { DEMO_SITE_DOMAIN } from '../../services/directory/demo.js';
import { SITE_CONTRIBUTORS } from './contributors.js';
import type { FictionalSite } from './pages.js';
import { startUnitSites, type RunningUnitSites } from './server.js';

/** At most this many sites are served (a real directory imported into a sandbox can be large). */
const MAX_SITES = 100;

export function buildSite(
  website: Pick<Website, 'siteCode' | 'name'>,
  unitName: string,
  now: Date,
): FictionalSite {
  const site: FictionalSite = { siteCode: website.siteCode, name: website.name, unitName, pages: new Map() };
  for (const contribute of SITE_CONTRIBUTORS) contribute(site, now);
  return site;
}

export async function serveDirectorySites(dataSource: DataSource, now: Date): Promise<RunningUnitSites> {
  const websites = await dataSource.getRepository(Website).find({
    where: { status: 'active', domain: Like(`%.${DEMO_SITE_DOMAIN}`) },
    order: { id: 'ASC' },
    take: MAX_SITES,
  });
  const units = new Map((await dataSource.getRepository(Unit).find()).map((unit) => [unit.id, unit.name]));
  const running = await startUnitSites(
    websites.map((website) => buildSite(website, units.get(website.unitId) ?? '', now)),
    websites.map((website) => localPort(website.homeUrl)),
  );
  for (const [i, served] of running.sites.entries()) {
    await dataSource.getRepository(Website).update({ id: websites[i]!.id }, { homeUrl: served.homeUrl });
  }
  return running;
}

/** The port of a site served here before (`http://127.0.0.1:40857/`). */
export function localPort(homeUrl: string | null): number | undefined {
  const match = /^http:\/\/127\.0\.0\.1:(\d+)\/$/.exec(homeUrl ?? '');
  return match ? Number(match[1]) : undefined;
}
