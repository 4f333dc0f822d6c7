// Hosting suffixes whose unclaimed names anyone can register: a dangling CNAME to them is a takeover risk.
// Data only; sources: the can-i-take-over-xyz project and providers' own docs.

export interface HostingProvider {
  suffix: string;
  provider: string;
}

export const HOSTING_PROVIDERS: readonly HostingProvider[] = [
  { suffix: 'herokuapp.com', provider: 'Heroku' },
  { suffix: 'herokudns.com', provider: 'Heroku' },
  { suffix: 'github.io', provider: 'GitHub Pages' },
  { suffix: 'azurewebsites.net', provider: 'Azure App Service' },
  { suffix: 'cloudapp.net', provider: 'Azure Cloud Services' },
  { suffix: 'cloudapp.azure.com', provider: 'Azure' },
  { suffix: 'trafficmanager.net', provider: 'Azure Traffic Manager' },
  { suffix: 'blob.core.windows.net', provider: 'Azure Blob Storage' },
  { suffix: 'azureedge.net', provider: 'Azure CDN' },
  { suffix: 'cloudfront.net', provider: 'AWS CloudFront' },
  { suffix: 's3.amazonaws.com', provider: 'AWS S3' },
  { suffix: 'amazonaws.com', provider: 'AWS' },
  { suffix: 'elasticbeanstalk.com', provider: 'AWS Elastic Beanstalk' },
  { suffix: 'netlify.app', provider: 'Netlify' },
  { suffix: 'netlify.com', provider: 'Netlify' },
  { suffix: 'vercel.app', provider: 'Vercel' },
  { suffix: 'now.sh', provider: 'Vercel' },
  { suffix: 'pages.dev', provider: 'Cloudflare Pages' },
  { suffix: 'workers.dev', provider: 'Cloudflare Workers' },
  { suffix: 'fly.dev', provider: 'Fly.io' },
  { suffix: 'onrender.com', provider: 'Render' },
  { suffix: 'up.railway.app', provider: 'Railway' },
  { suffix: 'firebaseapp.com', provider: 'Firebase Hosting' },
  { suffix: 'web.app', provider: 'Firebase Hosting' },
  { suffix: 'appspot.com', provider: 'Google App Engine' },
  { suffix: 'surge.sh', provider: 'Surge' },
  { suffix: 'bitbucket.io', provider: 'Bitbucket' },
  { suffix: 'ghost.io', provider: 'Ghost' },
  { suffix: 'myshopify.com', provider: 'Shopify' },
  { suffix: 'zendesk.com', provider: 'Zendesk' },
  { suffix: 'wpengine.com', provider: 'WP Engine' },
  { suffix: 'pantheonsite.io', provider: 'Pantheon' },
  { suffix: 'readthedocs.io', provider: 'Read the Docs' },
  { suffix: 'statuspage.io', provider: 'Statuspage' },
  { suffix: 'helpscoutdocs.com', provider: 'Help Scout' },
  { suffix: 'unbouncepages.com', provider: 'Unbounce' },
  { suffix: 'webflow.io', provider: 'Webflow' },
  { suffix: 'framer.app', provider: 'Framer' },
  { suffix: 'supabase.co', provider: 'Supabase' },
];
