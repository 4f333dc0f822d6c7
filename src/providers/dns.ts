// DNS hosts, recognized by their nameservers' names (NS records). Data only.

/** Pattern over the lower-case NS name, without its trailing dot, to the provider's name. */
export const DNS_HOSTS: readonly (readonly [RegExp, string])[] = [
  [/\.ns\.cloudflare\.com$/, 'Cloudflare DNS'],
  [/awsdns-\d+\./, 'AWS Route 53'],
  [/(googledomains\.com|ns-cloud-[a-z]\d*\.googledomains\.com|\.google\.com)$/, 'Google Cloud DNS'],
  [/azure-dns\./, 'Azure DNS'],
  [/\.digitalocean\.com$/, 'DigitalOcean DNS'],
  [/vercel-dns\.com$/, 'Vercel DNS'],
  [/nsone\.net$/, 'NS1 (Netlify DNS)'],
  [/domaincontrol\.com$/, 'GoDaddy'],
  [/registrar-servers\.com$/, 'Namecheap'],
  [/gandi\.net$/, 'Gandi'],
  [/ovh\.net$/, 'OVHcloud'],
  [/(hetzner\.com|your-server\.de)$/, 'Hetzner DNS'],
  [/dnsimple\.com$/, 'DNSimple'],
  [/(dnsmadeeasy\.com)$/, 'DNS Made Easy'],
  [/(porkbun\.com)$/, 'Porkbun'],
  [/(squarespacedns\.com|googledomains)$/, 'Squarespace Domains'],
];
