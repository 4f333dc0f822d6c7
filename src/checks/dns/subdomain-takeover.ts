// A surface that points at a service which answers "nothing here" for it can be claimed by whoever registers the
// name at that service first (subdomain takeover), even though its DNS still resolves.
import { defineCheck } from '../define.js';
import { matchFingerprint, takeoverServiceOf } from '../../providers/takeover.js';

export default defineCheck({
  id: 'subdomain-takeover',
  area: 'dns',
  severity: 'high',
  impact: 'data-exposure',
  title: 'Hosts pointing at a service are claimed there (no unclaimed-service pages)',
  description:
    'The host points at a service that no longer has a site for it: whoever creates that site at the service serves their own content on your domain, phishing your users and reading their cookies (subdomain takeover).',
  remediation:
    'Re-create the site or app at the service under your account (or delete the DNS record if the service is gone), then re-run the audit.',
  references: [
    'https://developer.mozilla.org/en-US/docs/Web/Security/Subdomain_takeovers',
    'https://github.com/EdOverflow/can-i-take-over-xyz',
  ],
  requires: ['dns.takeover'],
  messages: {
    'takeover-possible': {
      message: 'Takeover possible: {host} points at {provider} ({target}), which answers that nothing is set up there ({evidence} at {url}). Anyone can claim it at {provider}.',
    },
    'takeover-edge-case': {
      message: '{host} points at {provider} ({target}), which answers that nothing is set up there ({evidence} at {url}). In some setups someone else can claim it at {provider} (takeover is an edge case there).',
      severity: 'medium',
    },
    'unclaimed-page': {
      message: '{host} points at {provider} ({target}), which answers that nothing is set up there ({evidence} at {url}). {provider} ties custom domains to the account that verified them, so others cannot claim it, but users get its error page.',
      severity: 'medium',
      impact: 'availability',
      whatBreaks: 'Users of the host see the service\'s "not found" page instead of your product.',
      remediation: 'Set the site up again at the service under your account, or point the record at where the product lives now.',
    },
  },
  run({ 'dns.takeover': probes }, ctx) {
    let matched = 0;
    for (const p of probes) {
      const service = takeoverServiceOf(p.target);
      if (!service) continue;
      const hit = p.responses.map((r) => ({ r, evidence: matchFingerprint(service, r) })).find((x) => x.evidence !== undefined);
      if (!hit?.evidence) {
        // Could not ask at all (no answer in time, no address to connect to): whether the page shows is unknown.
        const unanswered = p.responses.every((r) => r.error && ['timeout', 'dns-failure'].includes(r.error.kind));
        if (unanswered && service.fingerprint) ctx.unknown(`${p.host}: ${p.responses.map((r) => `${r.url} ${r.error?.message ?? ''}`).join('; ')}`);
        continue;
      }
      matched++;
      const code = service.status === 'vulnerable' ? 'takeover-possible' : service.status === 'edge-case' ? 'takeover-edge-case' : 'unclaimed-page';
      ctx.report({
        code,
        args: { host: p.host, provider: service.service, target: p.target, evidence: hit.evidence, url: hit.r.url },
        location: { host: p.host, record: p.chain.length ? `CNAME ${p.chain.join(' → ')}` : `A ${p.target}` },
        evidence: hit.evidence,
      });
    }
    ctx.details({ hostsProbed: probes.length, unclaimedPages: matched });
  },
});
