// Table tests for the environment checks: staging kept out of search engines, and never on production's hosts.
import { describe, expect, it } from 'vitest';
import type { AnyCheck } from '../../src/checks/define.js';
import indexableStaging, { robotsDisallowsAll } from '../../src/checks/deploy/indexable-staging.js';
import sharedStagingHost from '../../src/checks/deploy/shared-staging-host.js';
import type { EnvironmentFacts } from '../../src/facts/deploy.js';
import type { FactMap } from '../../src/facts/index.js';
import { checkTable } from '../helpers/check-tester.js';
import { NOW } from '../helpers/dns-facts.js';

type Facts = Pick<FactMap, 'target' | 'deploy.environments'>;
const c = (x: unknown) => x as AnyCheck;

function baseline(): Facts {
  const envs: EnvironmentFacts[] = [
    { name: 'production', production: true, hosts: [{ name: 'shop.test', addresses: ['127.0.0.1'], chain: [] }, { name: 'api.shop.test', addresses: ['127.0.0.2'], chain: ['shop-api.fly.dev'] }] },
    {
      name: 'staging', production: false, owner: 'dev',
      hosts: [{
        name: 'staging.shop.test', addresses: ['127.0.0.9'], chain: ['shop-staging.fly.dev'],
        root: { status: 200, headers: { 'x-robots-tag': 'noindex, nofollow' } },
        robots: { status: 200, body: 'User-agent: *\nDisallow: /\n' },
      }],
    },
  ];
  return { target: { domains: [], now: NOW, accept: [] }, 'deploy.environments': envs };
}

const staging = (f: Facts) => f['deploy.environments'][1]!.hosts[0]!;

describe('indexable-staging', () => {
  checkTable(c(indexableStaging), baseline, [
    { name: 'noindex and robots disallow: pass', status: 'pass' },
    { name: 'robots disallow alone is enough', mutate: (f) => { staging(f).root = { status: 200, headers: {} }; }, status: 'pass' },
    { name: 'X-Robots-Tag alone is enough', mutate: (f) => { staging(f).robots = { status: 404 }; }, status: 'pass' },
    { name: 'behind authentication: pass', mutate: (f) => { staging(f).root = { status: 401, headers: {} }; staging(f).robots = { status: 401 }; }, status: 'pass' },
    {
      name: 'indexable staging',
      mutate: (f) => { staging(f).root = { status: 200, headers: {} }; staging(f).robots = { status: 200, body: 'User-agent: *\nAllow: /\n' }; },
      status: 'fail',
      findings: [{ code: 'indexable', host: 'staging.shop.test', message: /staging\.shop\.test \(staging\) answers 200 without noindex, and its robots\.txt does not disallow crawling \(robots\.txt allows crawling\)/ }],
    },
    { name: 'unreachable: unknown', mutate: (f) => { staging(f).root = { error: 'ECONNREFUSED' }; staging(f).robots = { error: 'ECONNREFUSED' }; }, status: 'error' },
    { name: 'no staging: not applicable', mutate: (f) => { f['deploy.environments'].pop(); }, status: 'not-applicable' },
  ]);

  it('reads robots.txt groups', () => {
    expect(robotsDisallowsAll('User-agent: Googlebot\nDisallow: /\n')).toBe(false);
    expect(robotsDisallowsAll('User-agent: Googlebot\nUser-agent: *\nDisallow: / # all\n')).toBe(true);
    expect(robotsDisallowsAll('User-agent: *\nDisallow: /admin\n')).toBe(false);
  });
});

describe('shared-staging-host', () => {
  checkTable(c(sharedStagingHost), baseline, [
    { name: 'separate hosts pass', status: 'pass' },
    { name: 'same address', mutate: (f) => { staging(f).addresses = ['127.0.0.1']; }, status: 'fail', findings: [{ code: 'shared', message: /shares the address 127\.0\.0\.1 with production host shop\.test/ }] },
    { name: 'same CNAME target', mutate: (f) => { staging(f).chain = ['shop-api.fly.dev']; staging(f).addresses = ['127.0.0.2']; }, status: 'fail', findings: [{ code: 'shared', message: /the CNAME target shop-api\.fly\.dev with production host api\.shop\.test/ }] },
    { name: 'DNS failure is unknown', mutate: (f) => { staging(f).dnsError = 'A timeout, AAAA timeout'; staging(f).addresses = []; }, status: 'error' },
  ]);
});
