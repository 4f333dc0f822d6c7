// Secrets corpus score (`node bench/secrets-corpus.js <corpus-dir> [--misses]` after `npm run build`): builds a
// labelled corpus (corpus.json: commits in order with dates, cases with file:line) into a fresh temporary git
// repository, scans it as `audit --only secrets --repo` does (tree and whole history), and prints recall over the
// true positives and the false positives that fired, per provider and per syntax. The corpus stays where it is:
// nothing of it is copied into this repository, and only case ids and masked shapes are ever printed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { scanRepository } from '../dist/collect/git/secrets.js';

const args = process.argv.slice(2);
const corpusDir = args.find((a) => !a.startsWith('--'));
if (!corpusDir) {
  console.error('usage: node bench/secrets-corpus.js <corpus-dir> [--misses] [--json]');
  process.exit(2);
}
const showMisses = args.includes('--misses');
const corpus = JSON.parse(readFileSync(join(corpusDir, 'corpus.json'), 'utf8'));

// A fixed identity and no user config: the build is the same on every machine.
const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Corpus', GIT_AUTHOR_EMAIL: 'corpus@example.invalid',
  GIT_COMMITTER_NAME: 'Corpus', GIT_COMMITTER_EMAIL: 'corpus@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null',
};

function build(dir) {
  const git = (...a) => execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...a], { cwd: dir, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q');
  const shas = [];
  for (const c of corpus.commits) {
    // Either `{path: content_b64 | null}` or a list of `{path, content_b64}` / `{path, delete: true}`.
    const changes = Array.isArray(c.changes) ? c.changes.map((x) => [x.path, x.delete ? null : x.content_b64]) : Object.entries(c.changes);
    for (const [path, b64] of changes) {
      const full = join(dir, path);
      if (b64 === null || b64 === undefined) { rmSync(full, { force: true }); continue; }
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, Buffer.from(b64, 'base64'));
    }
    // The recipe's dates are git's raw form (`<epoch> <tz>`); the `@` makes git read the number as an epoch.
    const when = `@${c.date}`;
    git('add', '-A');
    execFileSync('git', ['-c', 'commit.gpgsign=false', 'commit', '-q', '--allow-empty', '-m', c.message], { cwd: dir, env: { ...ENV, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when } });
    shas.push(git('rev-parse', 'HEAD').trim());
  }
  return shas;
}

/** Every place the scan reports a finding: the tree location, and the introducing commit's location. */
function places(matches) {
  const out = [];
  for (const m of matches) {
    if (m.inTree) out.push({ m, file: m.inTree.file, line: m.inTree.line, commit: undefined });
    if (m.introduced) out.push({ m, file: m.introduced.file, line: m.introduced.line, commit: m.introduced.commit });
  }
  return out;
}

function syntaxOf(c) {
  if (c.origin.startsWith('template ')) return c.origin.slice('template '.length);
  const ext = /\.([A-Za-z0-9]+)$/.exec(c.file);
  return `${c.origin} .${ext ? ext[1] : c.file.slice(c.file.lastIndexOf('/') + 1)}`;
}

function table(title, rows) {
  console.log(`\n${title}`);
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [name, tp, tpN, fp, fpN] of rows) {
    const recall = tpN ? `${String(tp).padStart(3)}/${String(tpN).padEnd(3)}` : '   -   ';
    const fps = fpN ? `${String(fp).padStart(2)}/${String(fpN).padEnd(3)}` : '  -   ';
    console.log(`  ${name.padEnd(width)}  recall ${recall}  fp ${fps}${tpN && tp < tpN ? '  <' : ''}${fp ? '  !' : ''}`);
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'lr-secrets-corpus-'));
  try {
    const t0 = performance.now();
    const shas = build(dir);
    const t1 = performance.now();
    const facts = await scanRepository(dir);
    const t2 = performance.now();
    if (!facts.available) throw new Error(facts.reason);
    if (facts.history.error) console.log(`history error: ${facts.history.error}`);
    // Info findings (a Google web key in client code) are notes, not alarms: they count neither way.
    const info = facts.matches.filter((m) => m.severity === 'info');
    const found = places(facts.matches.filter((m) => m.severity !== 'info'));
    const byFile = new Map();
    for (const p of found) {
      if (!byFile.has(p.file)) byFile.set(p.file, []);
      byFile.get(p.file).push(p);
    }
    const used = new Set();
    const results = corpus.cases.map((c) => {
      const hits = (byFile.get(c.file) ?? []).filter((p) => p.line !== undefined && p.line >= c.line && p.line <= c.line_end
        && (c.where === 'tree' ? p.commit === undefined : p.commit === shas[c.commit_index]));
      for (const h of hits) used.add(h.m);
      return { c, hit: hits.length > 0, rules: [...new Set(hits.map((h) => h.m.ruleId))] };
    });

    const tps = results.filter((r) => r.c.kind === 'tp');
    const fps = results.filter((r) => r.c.kind === 'fp');
    const group = (key) => {
      const g = new Map();
      for (const r of results) {
        const k = key(r.c);
        const e = g.get(k) ?? [k, 0, 0, 0, 0];
        if (r.c.kind === 'tp') { e[2]++; if (r.hit) e[1]++; } else { e[4]++; if (r.hit) e[3]++; }
        g.set(k, e);
      }
      return [...g.values()].sort((a, b) => a[0].localeCompare(b[0]));
    };
    table('per provider', group((c) => c.provider));
    table('per syntax', group(syntaxOf));

    const unmatched = facts.matches.filter((m) => !used.has(m) && m.severity !== 'info');
    if (showMisses) {
      console.log('\nmissed true positives:');
      for (const r of tps.filter((x) => !x.hit)) console.log(`  ${r.c.id} ${r.c.where} ${r.c.file}:${r.c.line} [${syntaxOf(r.c)}] ${r.c.shape}`);
      console.log('\nfalse positives that fired:');
      for (const r of fps.filter((x) => x.hit)) console.log(`  ${r.c.id} ${r.c.where} ${r.c.file}:${r.c.line} [${syntaxOf(r.c)}] ${r.c.shape} by ${r.rules.join(',')}`);
      console.log('\nfindings on no labelled line:');
      for (const m of unmatched) {
        const w = m.inTree ?? m.introduced;
        console.log(`  ${m.ruleId} ${w.file}:${w.line ?? '-'} ${m.masked}`);
      }
    }
    const recall = tps.filter((r) => r.hit).length;
    const fired = fps.filter((r) => r.hit).length;
    console.log(`\nbuilt ${shas.length} commits in ${Math.round(t1 - t0)} ms; scanned in ${Math.round(t2 - t1)} ms (${facts.tree.files} files, ${facts.history.commits} commits)`);
    console.log(`findings: ${facts.matches.length} (${info.length} info, ${unmatched.length} on no labelled line)`);
    console.log(`recall: ${recall}/${tps.length} true positives found (target >= 650)`);
    console.log(`false positives: ${fired}/${fps.length} fired (target <= 5)`);
    if (args.includes('--json')) console.log(JSON.stringify({ recall, tps: tps.length, fired, fps: fps.length }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
