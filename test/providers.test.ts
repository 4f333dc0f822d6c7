// Provider detection from NS, CNAME, MX names and response headers (shared by map, handover and the edge checks).
import { describe, expect, it } from 'vitest';
import { dnsHostOf, mailProviderOf, providerOfTarget, providersOfHeaders } from '../src/providers/index.js';

describe('providers', () => {
  it.each([
    ['anna.ns.cloudflare.com', 'Cloudflare DNS'], ['ns-123.awsdns-45.org.', 'AWS Route 53'], ['ns1.vercel-dns.com', 'Vercel DNS'],
    ['ns07.domaincontrol.com', 'GoDaddy'], ['dns1.registrar-servers.com', 'Namecheap'],
  ])('NS %s is %s', (ns, name) => expect(dnsHostOf(ns)?.name).toBe(name));

  it.each([
    ['aspmx.l.google.com', 'Google Workspace'], ['shop-test.mail.protection.outlook.com', 'Microsoft 365'],
    ['in1-smtp.messagingengine.com', 'Fastmail'], ['feedback-smtp.us-east-1.amazonses.com', 'Amazon SES'],
  ])('MX %s is %s', (mx, name) => expect(mailProviderOf(mx)?.name).toBe(name));

  it.each([
    ['d111.cloudfront.net', 'AWS CloudFront', 'cdn'], ['shop.vercel.app', 'Vercel', 'hosting'], ['shop.herokudns.com', 'Heroku', 'hosting'],
    ['www.shop.com.cdn.cloudflare.net', 'Cloudflare', 'cdn'], ['bucket.s3.amazonaws.com', 'AWS S3', 'hosting'],
  ])('CNAME %s is %s', (t, name, kind) => expect(providerOfTarget(t)).toMatchObject({ name, kind }));

  it('reads the edge and the platform from response headers', () => {
    expect(providersOfHeaders({ 'cf-ray': '8a1b-AMS', server: 'cloudflare' }).map((p) => [p.name, p.kind])).toEqual([['Cloudflare', 'cdn']]);
    expect(providersOfHeaders({ 'x-vercel-id': 'fra1::abc', server: 'Vercel' }).map((p) => p.name)).toEqual(['Vercel']);
    expect(providersOfHeaders({ via: '1.1 vegur' }).map((p) => p.name)).toEqual(['Heroku']);
    expect(providersOfHeaders({ 'x-served-by': 'cache-ams21050-AMS' }).map((p) => p.name)).toEqual(['Fastly']);
    expect(providersOfHeaders({ 'x-served-by': 'app-1' })).toEqual([]);
    expect(providersOfHeaders({ server: 'nginx' })).toEqual([]);
  });

  it('unknown names are unknown', () => {
    expect(dnsHostOf('ns1.example.net')).toBeUndefined();
    expect(providerOfTarget('lb.example.net')).toBeUndefined();
    expect(mailProviderOf('mx.example.net')).toBeUndefined();
  });
});
