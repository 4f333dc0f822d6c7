// Staging must not run on production's servers: a shared address or CNAME target couples their fates.
import { defineCheck } from '../define.js';

export default defineCheck({
  id: 'shared-staging-host',
  area: 'deploy',
  severity: 'medium',
  impact: 'availability',
  title: 'Staging does not share a host with production',
  description:
    'Staging runs on the same server or app as production: a staging deploy, load test or crash takes the live product down, and staging code can reach production data.',
  remediation: 'Give each environment its own app, server or service (its own CNAME target or addresses), with its own database and secrets.',
  references: ['https://12factor.net/dev-prod-parity'],
  requires: ['deploy.environments'],
  messages: {
    shared: { message: '{host} ({environment}) shares {what} with production host {production}.' },
  },
  run({ 'deploy.environments': envs }, ctx) {
    const list = envs;
    const prod = list.filter((e) => e.production).flatMap((e) => e.hosts);
    const others = list.filter((e) => !e.production);
    if (prod.length === 0 || others.length === 0) {
      ctx.notApplicable('the config needs a production environment and at least one other (`environments`)');
      return;
    }
    for (const p of prod) if (p.dnsError) ctx.unknown(`${p.name}: DNS ${p.dnsError}`);
    let compared = 0;
    for (const env of others) {
      for (const h of env.hosts) {
        if (h.dnsError) { ctx.unknown(`${h.name}: DNS ${h.dnsError}`); continue; }
        compared++;
        for (const p of prod) {
          const lastTarget = (chain: string[]) => chain[chain.length - 1];
          const target = lastTarget(h.chain);
          const sameTarget = target !== undefined && target === lastTarget(p.chain);
          const sharedAddresses = h.addresses.filter((a) => p.addresses.includes(a));
          if (!sameTarget && sharedAddresses.length === 0) continue;
          ctx.report({
            code: 'shared',
            args: { host: h.name, environment: env.name, production: p.name, what: sameTarget ? `the CNAME target ${target}` : `the address ${sharedAddresses.join(', ')}` },
            location: { host: h.name },
          });
          break;
        }
      }
    }
    ctx.details({ productionHosts: prod.map((p) => p.name), compared });
  },
});
