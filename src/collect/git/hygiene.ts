// The hygiene collector: walks the app code and config of the working tree (not tests, docs or examples) for URLs
// to non-public hosts, the mobile app's API base URL settings, and the environment variables the code reads.
import type { TargetFacts } from '../../facts/index.js';
import type { BaseUrlCandidate, EnvRead, HygieneFacts, UrlOccurrence } from '../../facts/hygiene.js';
import { looksBinary } from '../../secrets/engine.js';
import { devHostKind, nonProductionLabel } from '../../secrets/dev-hosts.js';
import type { CollectContext } from '../context.js';
import { DEFAULT_MAX_FILE_BYTES, forEachLimited, listTree, readTreeFile, workTreeRoot } from './files.js';

// Tests, docs, examples and dev tooling legitimately point at localhost.
const NOT_APP = /(?:^|\/)(?:tests?|__tests__|__mocks__|spec|specs|fixtures?|testdata|mocks?|e2e|cypress|playwright|examples?|samples?|docs?|bench|benchmarks?|\.github|\.vscode|\.idea|storybook|\.storybook|node_modules|vendor|Pods|build|dist|out|coverage)\/|\.(?:test|spec|stories|e2e)\.[a-z]+$|\.(?:md|mdx|markdown|rst|txt|adoc|lock|log|map|snap|svg|min\.js|min\.css)$|(?:^|\/)(?:package-lock\.json|yarn\.lock|pnpm-lock\.yaml|docker-compose[\w.-]*\.ya?ml|compose[\w.-]*\.ya?ml|Makefile|Procfile\.dev|(?:jest|vitest|playwright|cypress|karma|webpack\.dev|vite|metro|babel|eslint|tsconfig|\.eslintrc)[\w.-]*)$/i;
const CODE_OR_CONFIG = /\.(?:[cm]?[jt]sx?|vue|svelte|astro|py|rb|go|rs|php|java|kt|kts|swift|m|mm|dart|cs|scala|ex|exs|json|jsonc|ya?ml|toml|ini|cfg|conf|properties|xml|plist|xcconfig|gradle|env|html?|sh)$|(?:^|\/)(?:\.env(?:\.[\w.-]+)?|Dockerfile[\w.-]*|Procfile|\.npmrc)$/i;
// Where a project documents its configuration besides .env.example: a README section, docs pages.
const DOCS = /(?:^|\/)(?:README|CONFIG(?:URATION)?|ENV(?:IRONMENT)?|DEPLOY(?:MENT|ING)?|SETUP|INSTALL)[\w.-]*\.(?:md|mdx|rst|txt)$|^docs?\/.*\.mdx?$/i;
const EXAMPLE_ENV = /(?:^|\/)(?:\.env(?:\.[\w-]+)*\.(?:example|sample|template|dist|defaults|schema)|(?:example|sample|template)\.env|\.env-(?:example|sample))$/i;
const DEV_FILE = /(?:^|\/)(?:\.env\.(?:development|dev|local|test|testing|ci)(?:\.local)?|\.env\.local|[\w.-]*\.(?:dev|development|local|debug)\.[a-z]+|Debug[\w.-]*\.xcconfig|[\w.-]*-debug\.[a-z]+)$|\/(?:src\/debug|values-debug|debug)\//i;
const PROD_FILE = /(?:^|\/)(?:\.env\.(?:production|prod|release)(?:\.local)?|[\w.-]*\.(?:prod|production|release)\.[a-z]+|app\.json|app\.config\.[cm]?[jt]s|eas\.json|Info\.plist|strings\.xml|build\.gradle(?:\.kts)?|Release[\w.-]*\.xcconfig|[\w.-]*\.xcconfig|vercel\.json|netlify\.toml|fly\.toml|render\.ya?ml|Procfile|Dockerfile[\w.-]*|capacitor\.config\.[a-z]+|firebase\.json|google-services\.json|GoogleService-Info\.plist|pubspec\.yaml)$/i;

// Lines that guard dev-only values, comments, and log statements are where localhost belongs.
const DEV_GUARD = /__DEV__|\bisDev(?:elopment)?\b|NODE_ENV|['"]development['"]|kDebugMode|BuildConfig\.DEBUG|#if\s+DEBUG|\bdebug\s*[:=]\s*true|import\.meta\.env\.DEV/;
const COMMENT = /^\s*(?:\/\/|#(?!!)|\*|\/\*|<!--|--|;)/;
const LOG = /\b(?:console\.\w+|log(?:ger)?\.\w+|print(?:ln|f)?|echo|puts|fmt\.Print\w*|Log\.[dievw])\s*\(/;
const URL_RE = /\b(?:https?|wss?):\/\/(?:[^\s/@'"`<>]*@)?(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(?::\d+)?[^\s'"`<>)\]},;]*/g;

const ENV_READ: RegExp[] = [
  /process\.env\.([A-Za-z_][A-Za-z0-9_]*)/g,
  /process\.env\[\s*['"`]([A-Za-z_][A-Za-z0-9_]*)['"`]\s*\]/g,
  /import\.meta\.env\.([A-Za-z_][A-Za-z0-9_]*)/g,
  /(?:Deno\.env\.get|os\.getenv|os\.environ\.get|getenv|env::var|env!|System\.getenv|Environment\.GetEnvironmentVariable|String\.fromEnvironment|bool\.fromEnvironment|int\.fromEnvironment|ENV\.fetch|os\.(?:Getenv|LookupEnv))\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]/g,
  /(?:os\.environ|ENV|\$_ENV|\$_SERVER|dotenv\.env|Bun\.env|Platform\.environment)\[\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\]/g,
  /Bun\.env\.([A-Za-z_][A-Za-z0-9_]*)/g,
];
const ENV_DESTRUCTURE = /(?:const|let|var)\s*\{([^}]{1,2000})\}\s*=\s*(?:process\.env|import\.meta\.env)\b/g;
// Set by the platform or the shell, not by the app's operator: no need to document them.
const AMBIENT = /^(?:NODE_ENV|CI|HOME|PATH|PWD|USER|USERNAME|SHELL|TERM|TMPDIR|TEMP|TMP|TZ|LANG|LC_\w+|HOSTNAME|DEBUG|NODE_OPTIONS|npm_\w+|VERCEL(?:_\w+)?|NETLIFY|GITHUB_\w+|RUNNER_\w+|RENDER|FLY_\w+|HEROKU_\w+|DYNO|AWS_LAMBDA_\w+|K_SERVICE|MODE|DEV|PROD|SSR|BASE_URL)$/;

const BASE_URL_NAME = /^(?:[A-Za-z0-9_]*?[_-]?)?(?:api|backend|server|base|graphql|rest|service)[_-]?(?:base[_-]?)?(?:url|uri|host|endpoint|domain|origin|address)$/i;

function lineOf(text: string, index: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Setting name/value pairs with a URL value, in the syntaxes mobile and web configs use. */
export function baseUrlSettings(path: string, text: string): { name: string; value: string; line: number }[] {
  const out: { name: string; value: string; line: number }[] = [];
  const push = (name: string, value: string, index: number) => {
    const v = value.replace(/\/\$\(\)\//g, '//').trim();
    if (!/^(?:https?|wss?):\/\//i.test(v) || /\$\{|\$\(|\{\{/.test(v)) return;
    if (!BASE_URL_NAME.test(name)) return;
    out.push({ name, value: v, line: lineOf(text, index) });
  };
  const patterns: RegExp[] = [
    /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*["']?([^"'\s#]+)/gm,
    /["'`]?([A-Za-z_][A-Za-z0-9_]*)["'`]?[ \t]*[:=][ \t]*["'`]([^"'`\s]+)["'`]/g,
    /buildConfigField[ \t(]*["']String["'][ \t]*,[ \t]*["']([A-Za-z0-9_]+)["'][ \t]*,[ \t]*["']\\?"([^"\\]+)\\?"["']/g,
    /resValue[ \t(]*["']string["'][ \t]*,[ \t]*["']([A-Za-z0-9_]+)["'][ \t]*,[ \t]*["']([^"']+)["']/g,
    /<string[^>]*name="([A-Za-z0-9_]+)"[^>]*>([^<]+)<\/string>/g,
    /<key>([A-Za-z0-9_]+)<\/key>\s*<string>([^<]+)<\/string>/g,
    // Flutter: the default a build without --dart-define gets, and the defines of build scripts and CI.
    /String\.fromEnvironment\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*,\s*defaultValue\s*:\s*['"]([^'"\s]+)['"]/g,
    /--dart-define(?:=|[ \t]+)([A-Za-z_][A-Za-z0-9_]*)=["']?([^\s"']+)/g,
    // `apiUrl: process.env.API_URL ?? 'https://…'` (Expo app.config, RN config): the fallback ships when the variable is unset.
    /([A-Za-z_][A-Za-z0-9_]*)["'`]?[ \t]*[:=][ \t]*[^,;\n'"`{}:=]{1,160}?(?:\?\?|\|\|)[ \t]*["'`]([^"'`\s]+)["'`]/g,
  ];
  const seen = new Set<string>();
  for (const re of patterns) {
    for (const m of text.matchAll(re)) {
      const key = `${m.index}`;
      if (seen.has(key)) continue;
      seen.add(key);
      push(m[1]!, m[2]!, m.index + m[0].indexOf(m[2]!));
    }
  }
  return out.filter((o, i) => out.findIndex((p) => p.line === o.line && p.name === o.name) === i);
}

/** Which build a setting belongs to, from its file and, in Gradle, the buildTypes block around it. */
function settingContext(path: string, text: string, line: number): BaseUrlCandidate['context'] {
  if (DEV_FILE.test(path)) return 'development';
  const own = text.split('\n')[line - 1] ?? '';
  if (/--dart-define/.test(own)) return /flutter\s+run\b|--debug\b/.test(own) ? 'development' : /flutter\s+build\b/.test(own) ? 'production' : 'default';
  if (/(?:^|\/)src\/release\//.test(path)) return 'production';
  // Gradle buildTypes and eas.json build profiles: the nearest enclosing block name tells the build.
  const blockName = /\.gradle(?:\.kts)?$/.test(path)
    ? /\b(debug|release|staging|dev|development|production|prod)\s*(?:\(|\{)/g
    : /(?:^|\/)eas\.json$/.test(path) ? /"(development|preview|production|staging|simulator|dev|prod)"\s*:\s*\{/g : undefined;
  if (blockName) {
    const before = text.split('\n').slice(0, line).join('\n');
    const blocks = [...before.matchAll(blockName)];
    const last = blocks[blocks.length - 1];
    if (last) return ['release', 'production', 'prod'].includes(last[1]!) ? 'production' : 'development';
  }
  if (/\.env\.(?:production|prod|release)/i.test(path) || /Release[\w.-]*\.xcconfig$/.test(path)) return 'production';
  return 'default';
}

function mobilePlatforms(paths: readonly string[], texts: Map<string, string>): string[] {
  const found = new Set<string>();
  for (const p of paths) {
    const name = p.slice(p.lastIndexOf('/') + 1);
    if (name === 'pubspec.yaml' && /\bflutter\s*:/.test(texts.get(p) ?? '')) found.add('flutter');
    if ((name === 'app.json' && /"expo"\s*:/.test(texts.get(p) ?? '')) || /^app\.config\.[cm]?[jt]s$/.test(name) || name === 'eas.json') found.add('expo');
    if (name === 'package.json' && /"react-native"\s*:/.test(texts.get(p) ?? '')) found.add('react-native');
    if (name === 'AndroidManifest.xml' || (/^build\.gradle(?:\.kts)?$/.test(name) && /com\.android\.application/.test(texts.get(p) ?? ''))) found.add('android');
    if (name === 'Info.plist' || /\.xcodeproj\//.test(p) || name === 'Podfile') found.add('ios');
    if (/^capacitor\.config\.[a-z]+$/.test(name)) found.add('capacitor');
  }
  return [...found].sort();
}

export async function collectHygiene(ctx: CollectContext, target: TargetFacts): Promise<HygieneFacts> {
  if (!target.repo) return { available: false, reason: 'no repository to scan: pass --repo <dir> or set repo.path in the config' };
  return scanHygiene(target.repo, { stagingHosts: target.repoOptions?.stagingHosts ?? [], signal: ctx.signal });
}

export async function scanHygiene(dir: string, opts: { stagingHosts?: readonly string[]; signal?: AbortSignal } = {}): Promise<HygieneFacts> {
  const repo = await workTreeRoot(dir, opts.signal);
  const files = (await listTree(repo, opts.signal)).map((f) => f.path);
  const staging = opts.stagingHosts ?? [];
  const devUrls: UrlOccurrence[] = [];
  const baseUrls: BaseUrlCandidate[] = [];
  const reads = new Map<string, EnvRead>();
  const documented = new Set<string>();
  const exampleFiles: string[] = [];
  const texts = new Map<string, string>();
  let scanned = 0;

  const mentioned = new Set<string>();
  const docFiles: string[] = [];
  const relevant = files.filter((p) => CODE_OR_CONFIG.test(p) || EXAMPLE_ENV.test(p) || DOCS.test(p) || /Info\.plist$|AndroidManifest\.xml$/.test(p));
  await forEachLimited(relevant, 16, async (path) => {
    const read = await readTreeFile(repo, path, DEFAULT_MAX_FILE_BYTES);
    if (read.status !== 'ok' || looksBinary(read.data)) return;
    const text = read.data.toString('utf8');
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (['pubspec.yaml', 'app.json', 'package.json'].includes(name) || /^build\.gradle/.test(name)) texts.set(path, text);
    if (EXAMPLE_ENV.test(path)) {
      exampleFiles.push(path);
      for (const m of text.matchAll(/^[ \t]*#?[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=/gm)) documented.add(m[1]!);
      return;
    }
    if (DOCS.test(path)) {
      for (const m of text.matchAll(/\b[A-Z][A-Z0-9_]{2,}\b/g)) mentioned.add(m[0]);
      docFiles.push(path);
      return;
    }
    if (NOT_APP.test(path)) return;
    scanned++;
    const production = PROD_FILE.test(path) && !DEV_FILE.test(path);
    const devFile = DEV_FILE.test(path);

    if (!devFile) {
      const lines = text.split('\n');
      lines.forEach((line, i) => {
        if (!line.includes('://') || line.length > 4000) return;
        if (COMMENT.test(line) || DEV_GUARD.test(line) || LOG.test(line) || line.includes('launch-ready-allow')) return;
        for (const m of line.matchAll(URL_RE)) {
          const host = m[1]!;
          // `https://mta-sts.${domain}` or `"http://" + host`: a template, not a host.
          const after = line[m.index + m[0].indexOf(host) + host.length] ?? '';
          if (/[.-]$/.test(host) || /[$`{+%]/.test(after)) continue;
          // A staging-named host is only a dev URL in production config: app code often maps every environment.
          const stagingInProd = production && nonProductionLabel(host) !== undefined && settingContext(path, text, i + 1) !== 'development';
          if (!devHostKind(host, staging) && !stagingInProd) continue;
          devUrls.push({ url: m[0].slice(0, 200), host: host.toLowerCase(), file: path, line: i + 1, productionConfig: production });
        }
      });
    }

    for (const s of baseUrlSettings(path, text)) baseUrls.push({ ...s, file: path, context: settingContext(path, text, s.line) });

    if (/\.(?:[cm]?[jt]sx?|vue|svelte|astro|py|rb|go|rs|php|java|kt|kts|swift|dart|cs|scala|ex|exs)$/i.test(path)) {
      const add = (nameRaw: string, index: number) => {
        const n = nameRaw.trim();
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(n) || AMBIENT.test(n)) return;
        const r = reads.get(n);
        if (r) r.reads++;
        else reads.set(n, { name: n, file: path, line: lineOf(text, index), reads: 1 });
      };
      for (const re of ENV_READ) for (const m of text.matchAll(re)) add(m[1]!, m.index);
      for (const m of text.matchAll(ENV_DESTRUCTURE)) {
        for (const part of m[1]!.split(',')) add(part.split(/[:=]/)[0]!.replace(/^\s*\.\.\./, ''), m.index);
      }
    }
  }, opts.signal);

  const byLoc = (a: { file: string; line: number }, b: { file: string; line: number }) => a.file.localeCompare(b.file) || a.line - b.line;
  return {
    available: true,
    repo,
    files: scanned,
    devUrls: devUrls.sort(byLoc),
    mobile: { platforms: mobilePlatforms(files, texts), baseUrls: baseUrls.sort(byLoc) },
    env: {
      reads: [...reads.values()].sort((a, b) => a.name.localeCompare(b.name)),
      exampleFiles: exampleFiles.sort(),
      documented: [...documented].sort(),
      // Only the names the code reads: the docs' other capitalised words are not an inventory.
      mentionedInDocs: [...mentioned].filter((n) => reads.has(n)).sort(),
      docFiles: docFiles.sort(),
    },
  };
}
