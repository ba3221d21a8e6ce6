// placeholder, replaced below
import type { Effects, Actor } from '../shared/effects.js';
import type { RepostItem } from '../../entities/repost-item.js';
export type DiscoveryRequest =
  { ok: true; item: RepostItem; open: number; withSites: number } | { ok: false };
export async function requestDiscovery(_e: Effects, _id: number, _a: Actor): Promise<DiscoveryRequest> {
  return { ok: false };
}
