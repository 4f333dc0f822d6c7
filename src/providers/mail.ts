// Mail providers, recognized by their MX hosts. Data only.

/** Pattern over the lower-case MX exchange to the provider's name. */
export const MAIL_PROVIDERS: readonly (readonly [RegExp, string])[] = [
  [/(\.google\.com|\.googlemail\.com)$/, 'Google Workspace'],
  [/\.(mail\.)?protection\.outlook\.com$/, 'Microsoft 365'],
  [/\.zoho\.(com|eu|in)$/, 'Zoho Mail'],
  [/\.messagingengine\.com$/, 'Fastmail'],
  [/\.protonmail\.ch$/, 'Proton Mail'],
  [/\.mailgun\.org$/, 'Mailgun'],
  [/\.sendgrid\.net$/, 'SendGrid'],
  [/amazonses\.com$/, 'Amazon SES'],
  [/\.icloud\.com$/, 'iCloud Mail'],
  [/\.improvmx\.com$/, 'ImprovMX'],
  [/\.mx\.cloudflare\.net$/, 'Cloudflare Email Routing'],
];
