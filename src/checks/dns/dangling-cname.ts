// A CNAME chain must end in an address: one that ends at a missing name is a dangling record.
import { defineCheck } from '../define.js';
import { chainLookup, chainText, failureText, hostAddresses, hostChain, hostKnown, isFailedLookup } from '../../derive/dns.js';
import { hostingProvider } from '../../providers/index.js';
import { takeoverServiceOf } from '../../providers/takeover.js';

export default defineCheck({
  id: 'dangling-cname',
  area: 'dns',
  severity: 'high',
  impact: 'data-exposure',
  title: 'CNAME chains end in an address (no dangling records)',
  description:
    'The host is dead for users, and whoever registers the missing target name (often a free hosting app or bucket) can serve their own content on your domain: phishing your users and reading their cookies (subdomain takeover).',
  remediation:
    'Delete the CNAME if the service is gone, or re-create the target at the provider (claim the app/bucket name) before anyone else does; then re-run the audit.',
  references: [
    'https://developer.mozilla.org/en-US/docs/Web/Security/Subdomain_takeovers',
    'https://github.com/EdOverflow/can-i-take-over-xyz',
  ],
  requires: ['dns.hosts'],
  messages: {
    'target-nxdomain': { message: '{host} is a CNAME to {target}, which does not exist (NXDOMAIN). Chain: {chain}.' },
    'target-nxdomain-provider': {
      message: '{host} is a CNAME to {target} on {provider}, which does not exist: anyone can claim that name at {provider} and serve content on {host}. Chain: {chain}.',
    },
    'target-nxdomain-provider-edge': {
      message: '{host} is a CNAME to {target} on {provider}, which does not exist: in some setups someone else can claim that name at {provider} and serve content on {host} (takeover is an edge case there). Chain: {chain}.',
    },
    'target-nxdomain-unclaimable': {
      message: '{host} is a CNAME to {target} on {provider}, which does not exist. {provider} ties custom domains to the account that verified them, so others cannot claim it, but the host is broken for every user. Chain: {chain}.',
      impact: 'availability',
      whatBreaks: 'Browsers and apps cannot resolve the host: every page and API call on it fails.',
      remediation: 'Delete the CNAME if the service is gone, or re-create the resource at the provider and point the CNAME at its current name.',
    },
    'target-no-address': {
      message: '{host} is a CNAME to {target}, which exists but has no A or AAAA record. Chain: {chain}.',
      impact: 'availability',
      whatBreaks: 'Browsers and apps cannot connect to the host: every page and API call on it fails.',
    },
    loop: {
      message: 'The CNAME chain of {host} loops: {chain}.',
      impact: 'availability',
      whatBreaks: 'Resolvers give up: the host is unreachable for every user.',
      remediation: 'Point one CNAME in the loop at the real target (or replace it with A/AAAA records).',
    },
    'chain-too-long': {
      message: 'The CNAME chain of {host} is longer than resolvers follow: {chain}.',
      impact: 'availability',
      whatBreaks: 'Some resolvers give up before reaching an address: the host fails for part of your users.',
      remediation: 'Point the CNAME directly at the final target.',
    },
  },
  run({ 'dns.hosts': hosts }, ctx) {
    let chains = 0;
    for (const h of hosts) {
      const chain = hostChain(h);
      if (chain.length === 0) {
        // Both lookups failed before any answer: whether the host is a CNAME at all is unknown.
        if (isFailedLookup(h.a) && isFailedLookup(h.aaaa)) ctx.unknown(failureText(h));
        continue;
      }
      chains++;
      if (hostAddresses(h).length > 0) continue;
      if (!hostKnown(h)) {
        ctx.unknown(failureText(h));
        continue;
      }
      const lookup = chainLookup(h);
      const last = chain[chain.length - 1]!;
      const target = lookup.finalName;
      const args = { host: h.name, target, chain: chainText(h) };
      const location = { host: h.name, record: `${last.name} CNAME ${last.target}` };
      if (lookup.status === 'loop' || lookup.status === 'chain-too-long') {
        ctx.report({ code: lookup.status, args, location });
      } else if (h.a.status === 'nxdomain' || h.aaaa.status === 'nxdomain') {
        const service = takeoverServiceOf(target);
        const provider = service?.service ?? hostingProvider(target)?.provider;
        // The wording follows the service's takeover status; a hosting suffix outside the takeover data keeps the
        // claimable wording, as a deleted app name there is free to register.
        const code = service?.status === 'not-vulnerable' ? 'target-nxdomain-unclaimable'
          : service?.status === 'edge-case' ? 'target-nxdomain-provider-edge'
          : 'target-nxdomain-provider';
        if (provider) ctx.report({ code, args: { ...args, provider }, location });
        else ctx.report({ code: 'target-nxdomain', args, location });
      } else {
        ctx.report({ code: 'target-no-address', args, location });
      }
    }
    ctx.details({ cnameChains: chains });
  },
});
