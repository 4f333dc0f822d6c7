// CDNs, recognized by the CNAME targets they hand out. Data only.

/** Pattern over the lower-case CNAME target to the CDN's name. */
export const CDNS: readonly (readonly [RegExp, string])[] = [
  [/\.cdn\.cloudflare\.net$/, 'Cloudflare'],
  [/(\.fastly\.net|\.fastlylb\.net)$/, 'Fastly'],
  [/(\.akamaiedge\.net|\.edgekey\.net|\.edgesuite\.net|\.akamaized\.net)$/, 'Akamai'],
  [/\.cloudfront\.net$/, 'AWS CloudFront'],
  [/\.azureedge\.net$|\.azurefd\.net$/, 'Azure Front Door/CDN'],
  [/\.b-cdn\.net$/, 'Bunny CDN'],
];
