// The mobile app's API base URL: release builds must call the production API host over https.
import type { BaseUrlCandidate } from '../../facts/hygiene.js';
import type { TargetFacts } from '../../facts/index.js';
import { devHostKind, nonProductionLabel } from '../../secrets/dev-hosts.js';
import { defineCheck, scanOrSkip } from '../define.js';

function hostOf(url: string): string | undefined {
  const m = /^[a-z]+:\/\/(?:[^/@]*@)?(\[[^\]]+\]|[^/:?#]+)/i.exec(url);
  return m?.[1]?.toLowerCase().replace(/\.$/, '');
}

/** The production API host the audit knows of besides repo.apiUrl: a production environment's, an endpoint's, or the api surface. */
function knownApiHost(target: TargetFacts): string | undefined {
  const prod = (h: string | undefined): h is string => !!h && !nonProductionLabel(h) && !devHostKind(h);
  const envs = (target.environments ?? []).filter((e) => e.production || /^prod(?:uction)?$/i.test(e.name)).flatMap((e) => e.hosts);
  const fromEnv = envs.find((h) => prod(h) && /(?:^|[.-])api(?:[.-]|$)/.test(h)) ?? envs.find(prod);
  if (fromEnv) return fromEnv.toLowerCase();
  const fromEndpoint = (target.endpoints ?? []).map((e) => hostOf(e.url)).find(prod);
  if (fromEndpoint) return fromEndpoint;
  return target.domains.flatMap((d) => d.hosts).find((h) => h.label === 'api')?.name;
}

export default defineCheck({
  id: 'mobile-api-url',
  area: 'hygiene',
  severity: 'high',
  impact: 'availability',
  title: 'The mobile app calls the production API over https',
  description:
    'Every install of the release build talks to the wrong server: sign-up, login and every screen fail on launch day, and an app-store review or update takes days to fix it.',
  remediation:
    'Set the production API URL for release builds (Expo: EXPO_PUBLIC_API_URL in .env.production or eas.json\'s production profile; Android: the release buildType; iOS: the Release .xcconfig) and keep dev URLs in dev-only files.',
  references: ['https://docs.expo.dev/guides/environment-variables/', 'https://developer.android.com/build/build-variants'],
  requires: ['hygiene.repo'],
  messages: {
    'dev-host': {
      message: '{name} = {value} in {file}:{line} points at {kind}: release builds cannot reach it.{expected? The production API is {expected}.}',
      severity: 'critical',
      impact: 'auth',
    },
    'staging-label': {
      message: '{name} = {value} in {file}:{line} points at {host}, whose label "{label}" names a non-production environment: release builds would send real users to it.{expected? The production API is {expected}.}',
      severity: 'critical',
      impact: 'auth',
    },
    'not-https': {
      message: '{name} = {value} in {file}:{line} is not https: iOS (App Transport Security) and Android 9+ block cleartext by default, and traffic can be read on public Wi-Fi.',
      impact: 'auth',
    },
    'wrong-host': {
      message: '{name} = {value} in {file}:{line} is not the production API ({expected}).',
      impact: 'auth',
    },
    'not-found': {
      message: 'A {platforms} app is in the repository but no API base URL setting was found in its config ({looked}).',
      severity: 'low',
      impact: 'hygiene',
      whatBreaks: 'Nothing certain: the URL may be injected at build time. This check could not verify it.',
      remediation: 'Keep the API base URL in a config file this tool reads (e.g. EXPO_PUBLIC_API_URL in .env.production), or set repo.apiUrl and verify the build by hand.',
    },
  },
  run({ 'hygiene.repo': facts, target }, ctx) {
    const f = scanOrSkip(facts, ctx);
    if (!f) return;
    if (f.mobile.platforms.length === 0) {
      ctx.notApplicable('no mobile app (Expo, React Native, Flutter, Android, iOS, Capacitor) in the repository');
      return;
    }
    const configured = target.repoOptions?.apiUrl;
    const expectedHost = configured ? (hostOf(configured) ?? configured.toLowerCase()) : undefined;
    const domains = target.domains.map((d) => d.name);
    const staging = target.repoOptions?.stagingHosts ?? [];
    // A production-specific value overrides the default one of the same name.
    const prodNames = new Set(f.mobile.baseUrls.filter((b) => b.context === 'production').map((b) => b.name));
    const relevant = f.mobile.baseUrls.filter((b) => b.context === 'production' || (b.context === 'default' && !prodNames.has(b.name)));
    const expectedApi = expectedHost ?? knownApiHost(target);
    const checked: string[] = [];
    const report = (code: 'dev-host' | 'staging-label' | 'not-https' | 'wrong-host', b: BaseUrlCandidate, extra: Record<string, string> = {}) =>
      ctx.report({ code, args: { name: b.name, value: b.value, file: b.file, line: b.line, ...extra }, location: { file: b.file, line: b.line, url: b.value } });
    for (const b of relevant) {
      const host = hostOf(b.value);
      if (!host) continue;
      checked.push(`${b.file}:${b.line}`);
      const kind = devHostKind(host, staging);
      if (kind) {
        report('dev-host', b, { expected: expectedApi ?? '', kind: kind === 'loopback' ? 'the device itself (localhost)' : kind === 'staging' ? 'a staging host' : kind === 'tunnel' ? 'a tunnel to a developer machine' : 'a private/local network' });
        continue;
      }
      // Under the audited domain or not, a host named staging/dev/qa... is not the production API.
      const label = nonProductionLabel(host);
      if (label) {
        report('staging-label', b, { host, label, expected: expectedApi ?? '' });
        continue;
      }
      if (!/^(?:https|wss):/i.test(b.value)) report('not-https', b);
      if (expectedHost) {
        if (host !== expectedHost) report('wrong-host', b, { expected: expectedHost });
      } else if (domains.length > 0 && !domains.some((d) => host === d || host.endsWith(`.${d}`))) {
        report('wrong-host', b, { expected: `a host under ${domains.join(', ')}` });
      }
    }
    if (checked.length === 0) {
      ctx.report({
        code: 'not-found',
        args: { platforms: f.mobile.platforms.join('/'), looked: '.env.production, app.json/app.config, eas.json, build.gradle, strings.xml, Info.plist, .xcconfig, Dart/JS config' },
      });
    }
    ctx.details({
      platforms: f.mobile.platforms,
      expected: expectedApi ?? (domains.length ? domains : null),
      settings: f.mobile.baseUrls.map((b) => ({ name: b.name, value: b.value, at: `${b.file}:${b.line}`, context: b.context })),
    });
  },
});
