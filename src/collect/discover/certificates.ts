// Names in the certificates audited hosts serve: a SAN under the same domain is a host someone set up.
import type { DiscoveryVia } from '../../facts/discover.js';
import type { CollectContext } from '../context.js';
import { probeOnce } from '../tls/index.js';
import type { Candidate } from './dns-data.js';

export interface ProbedHost {
  name: string;
  domain: string;
  label: string;
  declared: boolean;
}

/** The SANs (and subject CN) of each host's leaf; wildcard names say nothing about which hosts exist. */
export async function certificateCandidates(ctx: CollectContext, hosts: readonly ProbedHost[]): Promise<Candidate[]> {
  const probed = await Promise.all(hosts.map((h) => probeOnce(ctx, h)));
  return probed.flatMap((e) => {
    const leaf = e.chain[0];
    if (!leaf) return [];
    const names = new Set([...leaf.dnsNames, ...(leaf.commonName ? [leaf.commonName.toLowerCase()] : [])]);
    const via: DiscoveryVia = { source: 'certificate', from: e.host };
    // A certificate naming its own host says nothing new.
    return [...names].filter((n) => !n.includes('*') && n !== e.host).map((name) => ({ name, via }));
  });
}
