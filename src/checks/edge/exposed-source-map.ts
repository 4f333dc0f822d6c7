// Source maps of the scripts the pages load are not public: with `sourcesContent` a map is the original front-end
// source, comments and all; with only `sources` it still lays out the code base. Found the way a browser's devtools
// find them (SourceMap header, sourceMappingURL comment, inline data: URL) plus the conventional <script>.map.
import type { ScriptSourceMap } from '../../facts/edge.js';
import { hostOf } from '../../derive/responses.js';
import { defineCheck } from '../define.js';

const SECRET_SEVERITIES = new Set(['critical', 'high']);
const NAMED_SECRETS = 3;

type Code = 'secret-in-source' | 'source-content' | 'source-paths';

/** One wording for every map: the code (the worst map of the host) sets the severity, each place says what it holds. */
const MESSAGE = '{place} {content?publishes the full original text of {content|count} of {sources|count} source file(s)}{content!lists the paths of {sources|count} source file(s), without their text}{found? ({found})}{secrets?; the source holds {secrets}}{sample? (e.g. {sample})}.';

export default defineCheck({
  id: 'exposed-source-map',
  area: 'edge',
  severity: 'medium',
  impact: 'data-exposure',
  title: 'Scripts do not publish their source maps',
  description: 'A public source map hands out the original front-end code, comments and all: internal API routes, feature flags, notes about known bugs and any key someone left in a comment. Finding the next weakness gets much easier.',
  remediation:
    'Stop publishing source maps: turn them off for production builds (Vite `build.sourcemap: false` or `\'hidden\'`, webpack `devtool: \'hidden-source-map\'` or `false`, Next.js `productionBrowserSourceMaps: false`), or upload them to your error tracker and delete the .map files from the deployed assets; drop the sourceMappingURL comment and the SourceMap header with them.',
  references: ['https://tc39.es/ecma426/', 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/SourceMap', 'https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/01-Information_Gathering/05-Review_Web_Page_Content_for_Information_Leakage'],
  requires: ['edge.http'],
  messages: {
    'source-content': {
      message: MESSAGE,
      severity: 'medium',
    },
    'source-paths': {
      message: MESSAGE,
      severity: 'low',
      impact: 'hygiene',
      whatBreaks: 'Anyone can read the layout of your front-end code (file names, internal modules, dependencies); minor on its own, but it maps the app for an attacker.',
    },
    'secret-in-source': {
      message: MESSAGE,
      severity: 'critical',
      whatBreaks: 'A live credential sits in the published source (often in a comment or dead code the build dropped from the bundle): anyone who opens the map can use it.',
      remediation: 'Rotate the key now (it is public), remove it from the front-end source, and stop publishing source maps (see the check\'s remediation).',
    },
  },
  run(facts, ctx) {
    const edge = facts['edge.http'];
    const all = edge.surfaces.flatMap((s) => s.sourceMaps ?? []);
    // The same map reached from two pages is one place.
    const maps = new Map<string, ScriptSourceMap>();
    for (const m of all) if (m.outcome === 'map' && !maps.has(m.url)) maps.set(m.url, m);
    // A secret the bundle itself ships is bundle-secret's finding; here it is only mentioned.
    const inBundles = new Set(edge.surfaces.flatMap((s) => s.bundleSecrets.map((b) => b.secretId)));
    const byHost = new Map<string, ScriptSourceMap[]>();
    for (const m of maps.values()) {
      const host = hostOf(m.url);
      byHost.set(host, [...(byHost.get(host) ?? []), m]);
    }
    for (const [host, list] of byHost) {
      const code: Code = list.some((m) => m.secrets.some((s) => SECRET_SEVERITIES.has(s.severity) && !inBundles.has(s.secretId)))
        ? 'secret-in-source'
        : list.some((m) => (m.map?.withContent ?? 0) > 0) ? 'source-content' : 'source-paths';
      for (const m of list) {
        const info = m.map!;
        const found = m.via === 'header' ? 'named by the SourceMap header' : m.via === 'x-header' ? 'named by the X-SourceMap header' : m.via === 'guess' ? `next to ${m.script}` : '';
        ctx.report({
          code,
          args: {
            place: m.inline ? `${m.script} carries its source map inline and` : `${m.url}, the source map of ${m.script},`,
            sources: info.sources,
            content: info.withContent,
            found,
            secrets: m.secrets.slice(0, NAMED_SECRETS).map((s) => `${s.description} (${s.masked}) in ${s.source}:${s.line}`),
            sample: info.sample.slice(0, 3),
          },
          location: { host, url: m.url },
          evidence: `${m.inline ? 'inline data: URL' : `${m.bytes ?? 0}${m.truncated ? '+' : ''} bytes`}, version ${info.version ?? 'missing'}, ${info.sources} source(s), ${info.withContent} with content${info.partial ? ' (cut at the size cap: counts of the part read)' : ''}`,
        });
      }
    }
    const scripts = all.filter((m) => m.outcome !== 'no-script').length;
    if (all.length === 0) ctx.notApplicable('no same-site script was found on the home pages');
    else if (scripts === 0) ctx.unknown(`no script could be fetched (${all.slice(0, 3).map((m) => `${m.script}: ${m.error ?? `HTTP ${m.status}`}`).join(', ')})`);
    else if (all.every((m) => m.outcome === 'no-script' || m.outcome === 'error')) ctx.unknown(`no source map request got an answer (${all.slice(0, 3).map((m) => m.url).join(', ')})`);
    const outcomes: Record<string, number> = {};
    for (const m of all) outcomes[m.outcome] = (outcomes[m.outcome] ?? 0) + 1;
    ctx.details({ scripts: all.length, maps: maps.size, inline: [...maps.values()].filter((m) => m.inline).length, outcomes });
  },
});
