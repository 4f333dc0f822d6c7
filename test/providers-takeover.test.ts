// The takeover service data: every claimable service can be recognised, and matching picks the right one.
import { describe, expect, it } from 'vitest';
import { matchFingerprint, TAKEOVER_SERVICES, takeoverServiceOf } from '../src/providers/takeover.js';

describe('takeover service data', () => {
  it('every vulnerable or edge-case service has a way to be recognised and a sign of being unclaimed', () => {
    for (const s of TAKEOVER_SERVICES.filter((x) => x.status !== 'not-vulnerable')) {
      const recognisable = s.suffixes.length + (s.addresses?.length ?? 0) + (s.nameservers?.length ?? 0) + (s.patterns?.length ?? 0);
      expect(recognisable, s.service).toBeGreaterThan(0);
    }
  });

  it('suffixes are lower-case names without dots at either end, each owned by one service', () => {
    const owner = new Map<string, string>();
    for (const s of TAKEOVER_SERVICES) {
      for (const suffix of s.suffixes) {
        expect(suffix).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
        expect(owner.get(suffix) ?? s.service, suffix).toBe(s.service);
        owner.set(suffix, s.service);
      }
    }
  });

  it.each([
    ['myapp.herokuapp.com', 'Heroku', 'edge-case'],
    ['x.y.elb.amazonaws.com', 'AWS Elastic Load Balancing', 'not-vulnerable'],
    ['bucket.s3.amazonaws.com', 'AWS S3', 'vulnerable'],
    ['bucket.s3-website-eu-west-1.amazonaws.com', 'AWS S3', 'vulnerable'],
    ['api.azurecr.io', 'Microsoft Azure', 'vulnerable'],
    ['help.custom.intercom.help.', 'Intercom', 'edge-case'],
    ['69.164.223.206', 'Worksites', 'vulnerable'],
    ['d1.cloudfront.net', 'AWS CloudFront', 'not-vulnerable'],
  ])('%s belongs to %s (%s)', (target, service, status) => {
    expect(takeoverServiceOf(target)).toMatchObject({ service, status });
  });

  it('leaves names of no known service alone', () => {
    expect(takeoverServiceOf('app.example.test')).toBeUndefined();
    expect(takeoverServiceOf('notgithub.io.example.test')).toBeUndefined();
  });

  it('matches a fingerprint on the body, on the status, or not at all', () => {
    const gh = takeoverServiceOf('x.github.io')!;
    expect(matchFingerprint(gh, { statuses: [404], body: '<p>There isn’t a GitHub Pages site here.</p>' })).toBe('HTTP 404, body "There isn’t a GitHub Pages site here."');
    expect(matchFingerprint(gh, { statuses: [200], body: '<h1>Welcome</h1>' })).toBeUndefined();
    const helprace = takeoverServiceOf('x.helprace.com')!;
    expect(matchFingerprint(helprace, { statuses: [301, 200] })).toBe('HTTP 301');
    expect(matchFingerprint(helprace, { statuses: [200] })).toBeUndefined();
    expect(matchFingerprint(takeoverServiceOf('x.zendesk.com')!, { statuses: [404], body: 'anything' })).toBeUndefined();
  });
});
