import type { Actor } from '../lib/actor.ts';

/**
 * What a user may do with a region (one policy, read by the service and the page alike): only an
 * admin sets a province's collaboration zone; everyone signed in reads the tree.
 */
export function regionCapabilities(actor: Actor, region: { level: string }) {
  return { setZone: actor.role === 'admin' && region.level === 'province' };
}
