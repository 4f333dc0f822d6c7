// The secrets collector: scans the working tree and the whole history of the target repository concurrently and
// merges what both saw per secret value, so each secret is one record that says where it is and where it came from.
import type { TargetFacts } from '../../facts/index.js';
import type { SecretMatch, SecretOccurrence, SecretsFacts, SecretsScan, SensitiveFile, SkippedFile } from '../../facts/secrets.js';
import { looksBinary, printableStrings, SecretScanner, TEST_PATH, type Hit } from '../../secrets/engine.js';
import type { CollectContext } from '../context.js';
import { DEFAULT_MAX_FILE_BYTES, forEachLimited, listTree, readTreeFile, workTreeRoot } from './files.js';
import { scanHistory } from './history.js';
import { gitOutput } from './spawn.js';

// More distinct secrets than this is a repository full of fixtures; the count still says so.
const MAX_SECRETS = 2000;
/** Places listed per secret value beyond its first: enough to find every copy of a pasted key, bounded. */
const MAX_PLACES_PER_SECRET = 20;

const EXAMPLE_ENV = /(?:example|sample|template|dist|defaults|schema|tpl|test)$/i;

/** What kind of sensitive file a path is, if any: these are findings even when no rule matches their content. */
export function sensitiveKind(path: string): SensitiveFile['kind'] | undefined {
  // Keys and env files under tests/fixtures/examples are fixtures; a real secret in them is still found by value.
  if (TEST_PATH.test(path)) return undefined;
  const name = path.slice(path.lastIndexOf('/') + 1);
  const lower = name.toLowerCase();
  if (/^\.env(?:\.|$)/.test(lower) || /\.env$/.test(lower) || lower === '.envrc') {
    const suffix = lower.replace(/^\.env\.?/, '').replace(/\.env$/, '');
    return EXAMPLE_ENV.test(suffix) || /^(?:example|sample|template)\b/.test(lower) ? undefined : 'env';
  }
  if (/^(?:credentials|client_secrets?|service[-_]?account.*|.*-firebase-adminsdk-.*)\.json$/.test(lower)) return 'credentials';
  if (/(?:^|\/)\.aws\/credentials$/.test(path) || ['.netrc', '.pgpass', 'master.key', '.git-credentials'].includes(lower)) return 'credentials';
  if (/^id_(?:rsa|dsa|ecdsa|ed25519)$/.test(lower) || /^authkey_[a-z0-9]+\.p8$/.test(lower) || /\.(?:key|p8|pem)$/.test(lower) && /priv|secret|server|auth|signing|key\.pem$/.test(lower)) return 'private-key';
  if (/\.(?:jks|keystore|p12|pfx)$/.test(lower) && lower !== 'debug.keystore') return 'keystore';
  return undefined;
}

interface Agg {
  match: SecretMatch;
  commits: Set<string>;
}

export async function collectSecrets(ctx: CollectContext, target: TargetFacts): Promise<SecretsFacts> {
  if (!target.repo) return { available: false, reason: 'no repository to scan: pass --repo <dir> or set repo.path in the config' };
  return scanRepository(target.repo, { signal: ctx.signal });
}

export async function scanRepository(dir: string, opts: { signal?: AbortSignal; maxFileBytes?: number; history?: boolean } = {}): Promise<SecretsFacts> {
  const signal = opts.signal;
  const sig = signal ? { signal } : {};
  const repo = await workTreeRoot(dir, signal);
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const scanner = new SecretScanner();
  const secrets = new Map<string, Agg>();
  let allowedInline = 0;
  let overflow = 0;

  const record = (hit: Hit, where: SecretOccurrence, fromHistory: boolean, inBinary: boolean) => {
    if (hit.allowed) { allowedInline++; return; }
    let agg = secrets.get(hit.secretId);
    if (!agg) {
      if (secrets.size >= MAX_SECRETS) { overflow++; return; }
      agg = {
        commits: new Set(),
        match: {
          secretId: hit.secretId, ruleId: hit.rule.id, description: hit.rule.description,
          severity: hit.publicByDesign && hit.severity !== 'info' ? 'low' : hit.severity, rotate: hit.rule.rotate,
          masked: hit.masked, length: hit.length, evidence: hit.evidence, publicByDesign: hit.publicByDesign,
          commits: 0, inBinary,
        },
      };
      secrets.set(hit.secretId, agg);
    }
    const m = agg.match;
    if (fromHistory) {
      agg.commits.add(where.commit!);
      // The earliest author date introduced it; on a tie the later one seen wins (git log lists newest first).
      if (!m.introduced || Date.parse(where.date!) <= Date.parse(m.introduced.date!)) {
        m.introduced = where;
        if (!m.inTree) m.evidence = hit.evidence;
      }
    } else if (!m.inTree) {
      m.inTree = where;
      m.evidence = hit.evidence;
      m.inBinary = inBinary;
    } else if ((m.alsoInTree ??= []).length < MAX_PLACES_PER_SECRET && !(m.inTree.file === where.file && m.inTree.line === where.line)) {
      m.alsoInTree.push({ ...where, evidence: hit.evidence });
    }
  };

  const shallow = (await gitOutput(repo, ['rev-parse', '--is-shallow-repository'], sig)).toString().trim() === 'true';
  const hasCommits = await gitOutput(repo, ['rev-parse', '--verify', '-q', 'HEAD'], sig).then(() => true, () => false);

  const sensitive = new Map<string, SensitiveFile>();
  const tree = { files: 0, bytes: 0, binaries: 0, skipped: [] as SkippedFile[] };
  const scanTree = async () => {
    const files = await listTree(repo, signal);
    for (const f of files) {
      const kind = sensitiveKind(f.path);
      if (kind) sensitive.set(f.path, { path: f.path, kind, tracked: f.tracked, unignored: !f.tracked });
    }
    await forEachLimited(files, 16, async (f) => {
      const read = await readTreeFile(repo, f.path, maxBytes);
      if (read.status === 'too-large') { tree.skipped.push({ path: f.path, reason: 'too-large', size: read.size }); return; }
      if (read.status === 'unreadable') { tree.skipped.push({ path: f.path, reason: 'unreadable' }); return; }
      if (read.status !== 'ok') return;
      tree.files++;
      tree.bytes += read.data.length;
      const binary = looksBinary(read.data);
      if (binary) tree.binaries++;
      const text = binary ? printableStrings(read.data) : read.data.toString('utf8');
      for (const hit of scanner.scan(text, f.path)) record(hit, binary ? { file: f.path } : { file: f.path, line: hit.line }, false, binary);
    }, signal);
  };

  const history: SecretsScan['history'] = { commits: 0, bytes: 0, reusedDiffs: 0, binaryBlobs: 0, skippedBlobs: 0 };
  let historyError: string | undefined;
  const scanAllHistory = async () => {
    if (opts.history === false || !hasCommits) return;
    const stats = await scanHistory(repo, scanner, {
      onHit: (h) => record(h.hit, { file: h.path, ...(h.line !== undefined ? { line: h.line } : {}), commit: h.commit, date: h.date }, true, h.line === undefined),
      onPath: (path, commit, date) => {
        const kind = sensitiveKind(path);
        if (!kind) return;
        // Newest first: overwriting keeps the commit that first added it.
        sensitive.set(`history:${path}`, { path, kind, tracked: false, unignored: false, addedIn: { commit, date } });
      },
    }, { ...sig, maxBlobBytes: maxBytes }).catch((err: unknown) => {
      // A broken history (missing objects, a corrupt pack) must not hide what the tree scan found.
      if (signal?.aborted) throw err;
      historyError = err instanceof Error ? err.message : String(err);
      return undefined;
    });
    if (stats) Object.assign(history, stats);
  };

  await Promise.all([scanTree(), scanAllHistory()]);
  if (signal?.aborted) throw new Error('the run deadline passed before the repository scan finished');

  // One record per sensitive path: the tree's view, with the commit that added it when history knows it.
  const files = new Map<string, SensitiveFile>();
  for (const [key, f] of sensitive) {
    if (key.startsWith('history:')) continue;
    files.set(f.path, f);
  }
  for (const [key, f] of sensitive) {
    if (!key.startsWith('history:')) continue;
    const inTree = files.get(f.path);
    if (inTree) files.set(f.path, { ...inTree, addedIn: f.addedIn! });
    else files.set(f.path, f);
  }

  const matches = [...secrets.values()].map(({ match, commits }) => ({ ...match, commits: commits.size }));
  // Files are scanned in parallel: order each value's places so the first one (the finding's location) is stable.
  for (const m of matches) {
    if (!m.inTree || !m.alsoInTree?.length) continue;
    const places = [{ ...m.inTree, evidence: m.evidence }, ...m.alsoInTree].sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
    const { evidence, ...first } = places[0]!;
    m.inTree = first;
    m.evidence = evidence ?? m.evidence;
    m.alsoInTree = places.slice(1);
  }
  matches.sort((a, b) => (a.inTree?.file ?? a.introduced?.file ?? '').localeCompare(b.inTree?.file ?? b.introduced?.file ?? '') || a.secretId.localeCompare(b.secretId));
  tree.skipped.sort((a, b) => a.path.localeCompare(b.path));
  return {
    available: true,
    repo,
    shallow,
    tree,
    history: historyError ? { ...history, error: historyError } : history,
    matches,
    allowedInline,
    ...(overflow ? { overflow } : {}),
    sensitiveFiles: [...files.values()].sort((a, b) => a.path.localeCompare(b.path)),
  };
}
