// Hosting platforms that answer at an edge network in front of the origin (DDoS absorption, edge cache). Data only.

/** Provider names as the hosting and CDN tables spell them. */
export const EDGE_PLATFORMS: ReadonlySet<string> = new Set([
  'Vercel', 'Netlify', 'Cloudflare Pages', 'Cloudflare Workers', 'Fly.io', 'Firebase Hosting', 'GitHub Pages', 'Azure CDN', 'AWS CloudFront',
]);
