// A secret read through a client-exposed env prefix (NEXT_PUBLIC_, EXPO_PUBLIC_, VITE_, REACT_APP_...): bundlers
// inline these into the JavaScript every visitor or app user downloads, so the value is public however it is set.
import { defineCheck, scanOrSkip } from '../define.js';

const PUBLIC_PREFIX = /^(NEXT_PUBLIC_|EXPO_PUBLIC_|VITE_|REACT_APP_|NUXT_PUBLIC_|GATSBY_|PUBLIC_|STORYBOOK_)/;
// Names that mean a server-side credential. Publishable/anon/public keys and Firebase/Maps API keys are public by design.
const SECRET_NAME = /SECRET|PRIVATE|SERVICE_ROLE|PASSWORD|PASSWD|ADMIN_(?:KEY|TOKEN)|OPENAI_API_KEY|ANTHROPIC_API_KEY|SENDGRID_API_KEY|TWILIO_AUTH|DATABASE_URL|DB_URL|SK_LIVE/;
const PUBLIC_BY_DESIGN = /PUBLISHABLE|ANON|PUBLIC_KEY|CLIENT_ID|SITE_KEY|DSN$/;

export default defineCheck({
  id: 'public-env-secret',
  area: 'hygiene',
  severity: 'high',
  impact: 'data-exposure',
  title: 'No secret is read through a client-exposed env variable',
  description:
    'Next.js, Expo, Vite and Create React App copy every variable with their public prefix into the bundle shipped to browsers and phones: anyone can read the value from the app and use it.',
  remediation:
    'Rotate the value, rename the variable without the public prefix, and use it only in server code (an API route or backend function that the client calls).',
  references: ['https://nextjs.org/docs/app/building-your-application/configuring/environment-variables', 'https://docs.expo.dev/guides/environment-variables/', 'https://vite.dev/guide/env-and-mode'],
  requires: ['hygiene.repo'],
  messages: {
    exposed: { message: '{name} is read at {where}: the {prefix} prefix ships its value to every client.' },
  },
  run({ 'hygiene.repo': facts }, ctx) {
    const f = scanOrSkip(facts, ctx);
    if (!f) return;
    const names = new Map<string, { file: string; line?: number }>();
    for (const r of f.env.reads) names.set(r.name, { file: r.file, line: r.line });
    // Declared in .env.example but not (yet) read in code is still headed for the bundle.
    for (const d of f.env.documented) if (!names.has(d)) names.set(d, { file: f.env.exampleFiles[0] ?? '.env.example' });
    let checked = 0;
    for (const [name, at] of [...names].sort((a, b) => a[0].localeCompare(b[0]))) {
      const prefix = PUBLIC_PREFIX.exec(name)?.[1];
      if (!prefix) continue;
      checked++;
      const rest = name.slice(prefix.length);
      if (!SECRET_NAME.test(rest) || PUBLIC_BY_DESIGN.test(rest)) continue;
      ctx.report({
        code: 'exposed',
        args: { name, prefix, where: at.line !== undefined ? `${at.file}:${at.line}` : at.file },
        location: { file: at.file, ...(at.line !== undefined ? { line: at.line } : {}), record: name },
      });
    }
    ctx.details({ publicVariables: checked });
  },
});
