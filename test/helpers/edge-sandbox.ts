// Collector contexts over the edge sandbox: the run's network stack as the CLI builds it, pointed at loopback.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CollectContext } from '../../src/collect/context.js';
import { prepareNetwork } from '../../src/collect/setup.js';
import type { TargetFacts } from '../../src/facts/index.js';
import type { EdgeSandbox } from '../../src/sandbox/edge-site.js';

export function caFile(sb: EdgeSandbox): string {
  const file = join(mkdtempSync(join(tmpdir(), 'lr-ca-')), 'root.pem');
  writeFileSync(file, sb.certs.caPem);
  return file;
}

export async function edgeContext(sb: EdgeSandbox, opts: { ca?: boolean; timeoutMs?: number; connectTo?: string[] } = {}): Promise<{ ctx: CollectContext; done: () => void }> {
  const net = await prepareNetwork({
    resolver: sb.resolver,
    connectTo: [...(opts.connectTo ?? []), ...sb.connectTo],
    timeoutMs: opts.timeoutMs ?? 3000,
    concurrency: 64,
    ...(opts.ca === false ? {} : { ca: caFile(sb) }),
  });
  const controller = new AbortController();
  return { ctx: net.context(controller.signal), done: () => controller.abort() };
}

export function targetOf(domain: string, labels: string[], canonical: 'apex' | 'www' = 'apex'): TargetFacts {
  return {
    domains: [{
      name: domain, canonical,
      hosts: labels.map((l) => ({ name: l === '@' ? domain : `${l}.${domain}`, domain, label: l, declared: true })),
    }],
    now: new Date().toISOString(),
    accept: [],
  };
}
