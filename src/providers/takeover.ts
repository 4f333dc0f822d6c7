// Services a CNAME can point at, and whether someone else can claim a name there once its owner deleted it:
// the suffixes of their CNAME targets, the takeover status, and what the service answers for an unclaimed name.
// Data and matching only (no I/O). Written from public knowledge of each service; the status follows the
// community's takeover research (can-i-take-over-xyz), which is re-checked by bench/takeover-email.js.

/** vulnerable: anyone can claim the name; edge-case: only in some setups; not-vulnerable: the provider verifies. */
export type TakeoverStatus = 'vulnerable' | 'edge-case' | 'not-vulnerable';

export interface TakeoverFingerprint {
  /** Text of the page the service serves for a name nobody has claimed. */
  body?: RegExp;
  /** The HTTP status that page comes with, when the status alone is the sign. */
  status?: number;
}

export interface TakeoverService {
  service: string;
  /** A CNAME target equal to or under one of these belongs to the service. */
  suffixes: readonly string[];
  /** Targets no fixed suffix describes (region-specific names). */
  patterns?: readonly RegExp[];
  /** Addresses the service's custom domains point at with A records. */
  addresses?: readonly string[];
  /** Nameserver suffixes, for services taken over through a delegation rather than a CNAME. */
  nameservers?: readonly string[];
  status: TakeoverStatus;
  /** The target name disappears with the resource: NXDOMAIN is the sign, no page is served. */
  nxdomain?: boolean;
  fingerprint?: TakeoverFingerprint;
}

// Apostrophes on these pages come straight or curly, sometimes as HTML entities.
const Q = "(?:'|’|&rsquo;|&#39;|&#x27;)";
const re = (source: string, flags = '') => new RegExp(source.replace(/'/g, Q), flags);

export const TAKEOVER_SERVICES: readonly TakeoverService[] = [
  // Vulnerable: a deleted resource's name can be registered again by anyone.
  { service: 'AWS Elastic Beanstalk', suffixes: ['elasticbeanstalk.com'], status: 'vulnerable', nxdomain: true },
  {
    service: 'AWS S3', suffixes: ['s3.amazonaws.com'], status: 'vulnerable',
    patterns: [/\.s3[.-]website[.-][a-z0-9-]+\.amazonaws\.com$/, /\.s3[.-][a-z0-9-]+\.amazonaws\.com$/],
    fingerprint: { body: /NoSuchBucket|The specified bucket does not exist/ },
  },
  { service: 'Agile CRM', suffixes: ['agilecrm.com'], status: 'vulnerable', fingerprint: { body: /Sorry, this page is no longer available\./ } },
  { service: 'Airee.ru', suffixes: ['airee.ru'], status: 'vulnerable', fingerprint: { body: /Ошибка 402\. Сервис Айри\.рф не оплачен/ } },
  { service: 'Anima', suffixes: ['animaapp.io'], status: 'vulnerable', fingerprint: { body: /The page you were looking for does not exist\./ } },
  { service: 'Bitbucket', suffixes: ['bitbucket.io'], status: 'vulnerable', fingerprint: { body: /Repository not found/ } },
  { service: 'Campaign Monitor', suffixes: ['createsend.com'], status: 'vulnerable', fingerprint: { body: /Trying to access your account\?/ } },
  { service: 'Canny', suffixes: ['canny.io'], status: 'vulnerable', fingerprint: { body: /Company Not Found|There is no such company\. Did you enter the right URL\?/ } },
  { service: 'Cargo Collective', suffixes: ['cargocollective.com'], status: 'vulnerable', fingerprint: { body: /404 Not Found/ } },
  // Taken over through a delegation to DigitalOcean's nameservers with no zone there, not through a CNAME.
  { service: 'DigitalOcean', suffixes: [], nameservers: ['digitalocean.com'], status: 'vulnerable' },
  { service: 'Discourse', suffixes: ['trydiscourse.com'], status: 'vulnerable', nxdomain: true },
  { service: 'Gemfury', suffixes: ['furyns.com'], status: 'vulnerable', fingerprint: { body: /404: This page could not be found\./ } },
  { service: 'GetResponse', suffixes: ['gr8.com'], status: 'vulnerable', fingerprint: { body: /With GetResponse Landing Pages, lead generation has never been easier/ } },
  { service: 'Ghost', suffixes: ['ghost.io'], status: 'vulnerable', fingerprint: { body: /Site unavailable\.|Failed to resolve DNS path for this host/ } },
  { service: 'HatenaBlog', suffixes: ['hatenablog.com'], status: 'vulnerable', fingerprint: { body: /404 Blog is not found/ } },
  { service: 'Help Juice', suffixes: ['helpjuice.com'], status: 'vulnerable', fingerprint: { body: re("We could not find what you're looking for\\.") } },
  { service: 'Help Scout', suffixes: ['helpscoutdocs.com'], status: 'vulnerable', fingerprint: { body: /No settings were found for this company:/ } },
  { service: 'Helprace', suffixes: ['helprace.com'], status: 'vulnerable', fingerprint: { status: 301 } },
  { service: 'JetBrains YouTrack', suffixes: ['youtrack.cloud', 'myjetbrains.com'], status: 'vulnerable', fingerprint: { body: /is not a registered InCloud YouTrack/ } },
  { service: 'LaunchRock', suffixes: ['launchrock.com'], status: 'vulnerable', fingerprint: { status: 500 } },
  {
    service: 'Microsoft Azure',
    suffixes: [
      'cloudapp.net', 'cloudapp.azure.com', 'azurewebsites.net', 'blob.core.windows.net', 'azure-api.net',
      'azurehdinsight.net', 'azureedge.net', 'azurecontainer.io', 'database.windows.net', 'azuredatalakestore.net',
      'search.windows.net', 'azurecr.io', 'redis.cache.windows.net', 'servicebus.windows.net', 'visualstudio.com',
      'trafficmanager.net',
    ],
    status: 'vulnerable', nxdomain: true,
  },
  { service: 'Ngrok', suffixes: ['ngrok.io', 'ngrok.app'], status: 'vulnerable', fingerprint: { body: /Tunnel \S+ not found|ERR_NGROK_3200/ } },
  { service: 'Pantheon', suffixes: ['pantheonsite.io', 'pantheon.io'], status: 'vulnerable', fingerprint: { body: /404 error unknown site!/ } },
  { service: 'Pingdom', suffixes: ['stats.pingdom.com'], status: 'vulnerable', fingerprint: { body: re("Sorry, couldn't find the status page") } },
  { service: 'Readme.io', suffixes: ['readme.io', 'readmessl.com'], status: 'vulnerable', fingerprint: { body: /The creators of this project are still working on making everything perfect!/ } },
  { service: 'Read the Docs', suffixes: ['readthedocs.io'], status: 'vulnerable', fingerprint: { body: /The link you have followed or the URL that you entered does not exist\./ } },
  { service: 'Short.io', suffixes: ['short.io', 'short.gy'], status: 'vulnerable', fingerprint: { body: /Link does not exist/ } },
  { service: 'SmartJobBoard', suffixes: ['smartjobboard.com'], addresses: ['52.16.160.97'], status: 'vulnerable', fingerprint: { body: /This job board website is either expired or its domain name is invalid\./ } },
  { service: 'SmugMug', suffixes: ['domains.smugmug.com'], status: 'vulnerable' },
  { service: 'Strikingly', suffixes: ['strikinglydns.com'], status: 'vulnerable', fingerprint: { body: /PAGE NOT FOUND\./ } },
  { service: 'Surge.sh', suffixes: ['surge.sh'], status: 'vulnerable', fingerprint: { body: /project not found/ } },
  { service: 'SurveySparrow', suffixes: ['surveysparrow.com'], status: 'vulnerable', fingerprint: { body: /Account not found\./ } },
  { service: 'Uberflip', suffixes: ['read.uberflip.com', 'uberflip.com'], status: 'vulnerable', fingerprint: { body: re("The URL you've accessed does not provide a hub\\.") } },
  { service: 'UptimeRobot', suffixes: ['stats.uptimerobot.com'], status: 'vulnerable', fingerprint: { body: /page not found/i } },
  { service: 'WordPress.com', suffixes: ['wordpress.com'], status: 'vulnerable', fingerprint: { body: /Do you want to register \S+\.wordpress\.com\?/ } },
  {
    service: 'Worksites', suffixes: ['worksites.net'], addresses: ['69.164.223.206'], status: 'vulnerable',
    fingerprint: { body: re("Sorry, but the website you're looking for doesn't exist\\.") },
  },

  // Edge cases: claimable only in some setups (a verification step, a random target, a paid plan).
  { service: 'Frontify', suffixes: ['frontify.com'], status: 'edge-case', fingerprint: { body: /404 - Page Not Found|Oops… looks like you got lost/ } },
  { service: 'GitHub Pages', suffixes: ['github.io'], status: 'edge-case', fingerprint: { body: re("There isn't a GitHub Pages site here\\.") } },
  {
    service: 'Heroku', suffixes: ['herokuapp.com', 'herokudns.com', 'herokussl.com'], status: 'edge-case',
    fingerprint: { body: /No such app|no-such-app\.html/ },
  },
  { service: 'Intercom', suffixes: ['custom.intercom.help', 'intercom.help'], status: 'edge-case', fingerprint: { body: re("Uh oh\\. That page doesn't exist\\.") } },
  { service: 'Landingi', suffixes: ['landingi.com'], status: 'edge-case', fingerprint: { body: re("It looks like you're lost\\.\\.\\.") } },
  { service: 'Mashery', suffixes: ['mashery.com'], status: 'edge-case', fingerprint: { body: /Unrecognized domain/ } },
  { service: 'Netlify', suffixes: ['netlify.app', 'netlify.com'], status: 'edge-case', fingerprint: { body: /Not Found - Request ID:/ } },
  { service: 'Shopify', suffixes: ['myshopify.com'], status: 'edge-case', fingerprint: { body: /Sorry, this shop is currently unavailable\./ } },
  { service: 'Smartling', suffixes: ['smartling.com'], status: 'edge-case', fingerprint: { body: /Domain is not configured/ } },
  { service: 'Tilda', suffixes: ['tilda.ws'], status: 'edge-case', fingerprint: { body: /Please renew your subscription/ } },
  { service: 'Tumblr', suffixes: ['domains.tumblr.com'], status: 'edge-case', fingerprint: { body: re("Whatever you were looking for doesn't currently exist at this address") } },
  { service: 'Vercel', suffixes: ['vercel.app', 'vercel-dns.com', 'vercel.com', 'now.sh'], status: 'edge-case', fingerprint: { body: /DEPLOYMENT_NOT_FOUND/ } },
  {
    service: 'Webflow', suffixes: ['proxy.webflow.com', 'proxy-ssl.webflow.com', 'webflow.io'], status: 'edge-case',
    fingerprint: { body: re("The page you are looking for doesn't exist or has been moved\\.") },
  },
  { service: 'Wix', suffixes: ['wixdns.net', 'wixsite.com'], status: 'edge-case', fingerprint: { body: re("Looks Like This Domain Isn't Connected To A Website Yet!", 'i') } },

  // Not vulnerable: the provider ties a custom domain to its account (verification), so a dangling name is a
  // broken host, not a claimable one.
  { service: 'AWS Elastic Load Balancing', suffixes: ['elb.amazonaws.com'], status: 'not-vulnerable', nxdomain: true },
  { service: 'Acquia', suffixes: ['acquia-sites.com'], status: 'not-vulnerable', fingerprint: { body: /Web Site Not Found/ } },
  { service: 'Akamai', suffixes: ['edgekey.net', 'edgesuite.net', 'akamaiedge.net', 'akamaized.net'], status: 'not-vulnerable' },
  { service: 'AWS CloudFront', suffixes: ['cloudfront.net'], status: 'not-vulnerable', fingerprint: { body: /ViewerCertificateException/ } },
  { service: 'Desk', suffixes: ['desk.com'], status: 'not-vulnerable', fingerprint: { body: /Please try again or try Desk\.com free for 14 days\./ } },
  { service: 'DreamHost', suffixes: ['dreamhosters.com'], status: 'not-vulnerable', fingerprint: { body: /Site Not Found/ } },
  { service: 'Fastly', suffixes: ['fastly.net', 'fastlylb.net'], status: 'not-vulnerable', fingerprint: { body: /Fastly error: unknown domain/ } },
  { service: 'Feedpress', suffixes: ['redirect.feedpress.me'], status: 'not-vulnerable', fingerprint: { body: /The feed has not been found\./ } },
  { service: 'Firebase Hosting', suffixes: ['firebaseapp.com', 'web.app'], status: 'not-vulnerable' },
  { service: 'Fly.io', suffixes: ['fly.dev', 'edgeapp.net'], status: 'not-vulnerable' },
  { service: 'Freshdesk', suffixes: ['freshdesk.com'], status: 'not-vulnerable' },
  { service: 'GitLab Pages', suffixes: ['gitlab.io'], status: 'not-vulnerable' },
  { service: 'Google Cloud Storage', suffixes: ['c.storage.googleapis.com', 'storage.googleapis.com'], status: 'not-vulnerable', fingerprint: { body: /NoSuchBucket/ } },
  { service: 'Google Sites', suffixes: ['ghs.google.com', 'ghs.googlehosted.com'], status: 'not-vulnerable' },
  { service: 'HubSpot', suffixes: ['hubspot.net', 'hs-sites.com'], status: 'not-vulnerable' },
  { service: 'Instapage', suffixes: ['pageserve.co'], status: 'not-vulnerable' },
  { service: 'KeyCDN', suffixes: ['kxcdn.com'], status: 'not-vulnerable' },
  { service: 'Kinsta', suffixes: ['kinsta.cloud'], status: 'not-vulnerable', fingerprint: { body: /No Site For Domain/ } },
  { service: 'Mailchimp', suffixes: ['mailchimpsites.com'], status: 'not-vulnerable' },
  { service: 'SendGrid', suffixes: ['sendgrid.net'], status: 'not-vulnerable' },
  { service: 'Squarespace', suffixes: ['squarespace.com'], status: 'not-vulnerable' },
  { service: 'Statuspage', suffixes: ['statuspage.io', 'stspg-customer.com'], status: 'not-vulnerable' },
  { service: 'Unbounce', suffixes: ['unbouncepages.com'], status: 'not-vulnerable' },
  { service: 'UserVoice', suffixes: ['uservoice.com'], status: 'not-vulnerable' },
  { service: 'WP Engine', suffixes: ['wpengine.com', 'wpenginepowered.com'], status: 'not-vulnerable' },
  { service: 'Zendesk', suffixes: ['zendesk.com'], status: 'not-vulnerable', fingerprint: { body: /Help Center Closed/ } },
];

const norm = (n: string) => n.toLowerCase().replace(/\.$/, '');

/** The service a CNAME target (or A address) belongs to; the longest matching suffix wins (elb. over s3-less AWS). */
export function takeoverServiceOf(target: string): TakeoverService | undefined {
  const n = norm(target);
  let best: { s: TakeoverService; len: number } | undefined;
  for (const s of TAKEOVER_SERVICES) {
    for (const suffix of s.suffixes) {
      if ((n === suffix || n.endsWith(`.${suffix}`)) && (!best || suffix.length > best.len)) best = { s, len: suffix.length };
    }
    if (s.addresses?.includes(n) && !best) best = { s, len: n.length };
  }
  if (best) return best.s;
  return TAKEOVER_SERVICES.find((s) => s.patterns?.some((p) => p.test(n)));
}

/** What of a response matches the service's unclaimed-page fingerprint, as evidence text; undefined when nothing. */
export function matchFingerprint(service: TakeoverService, response: { statuses: readonly number[]; body?: string }): string | undefined {
  const fp = service.fingerprint;
  if (!fp || (!fp.body && fp.status === undefined)) return undefined;
  if (fp.status !== undefined && !response.statuses.includes(fp.status)) return undefined;
  if (!fp.body) return `HTTP ${fp.status}`;
  const m = response.body === undefined ? null : fp.body.exec(response.body);
  if (!m) return undefined;
  const text = m[0].length > 120 ? `${m[0].slice(0, 117)}...` : m[0];
  return `HTTP ${response.statuses[response.statuses.length - 1] ?? '?'}, body "${text}"`;
}
