// Edges and platforms, recognized by the response headers they add. Data only.

/** Lower-case header name, a pattern its value must match (presence is enough when undefined), provider, kind. */
export const HEADER_SIGNS: readonly (readonly [string, RegExp | undefined, string, 'cdn' | 'hosting'])[] = [
  ['cf-ray', undefined, 'Cloudflare', 'cdn'],
  ['x-vercel-id', undefined, 'Vercel', 'hosting'],
  ['x-nf-request-id', undefined, 'Netlify', 'hosting'],
  ['fly-request-id', undefined, 'Fly.io', 'hosting'],
  ['x-amz-cf-id', undefined, 'AWS CloudFront', 'cdn'],
  ['x-served-by', /cache-/, 'Fastly', 'cdn'],
  ['x-github-request-id', undefined, 'GitHub Pages', 'hosting'],
  ['x-render-origin-server', undefined, 'Render', 'hosting'],
  ['via', /vegur/, 'Heroku', 'hosting'],
  ['x-railway-request-id', undefined, 'Railway', 'hosting'],
  ['server', /^cloudflare$/i, 'Cloudflare', 'cdn'],
  ['server', /^Netlify$/i, 'Netlify', 'hosting'],
  ['server', /^Vercel$/i, 'Vercel', 'hosting'],
  ['server', /AkamaiGHost/i, 'Akamai', 'cdn'],
  ['x-azure-ref', undefined, 'Azure Front Door', 'cdn'],
];
