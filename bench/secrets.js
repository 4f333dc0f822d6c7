// Secrets benchmark (`node bench/secrets.js` after `npm run build`): a generated repository with a long history
// (tens of MB of diffs). Measures our history scan against `git log -p -U0 --all` alone (the floor: we cannot be
// faster than git streams), and our working-tree scan against secretlint on the same tree. Medians of a few runs,
// interleaved so caches are equally warm. Targets: history within 1.5x of git, tree faster than secretlint.
// The default history is ~47 MiB of `git log -p` output; BENCH_COMMITS=9000 makes ~230 MiB (check both sizes).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanHistory } from '../dist/collect/git/history.js';
import { scanRepository } from '../dist/collect/git/secrets.js';
import { SecretScanner } from '../dist/secrets/engine.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FILES = Number(process.env.BENCH_FILES ?? 300);
const FILE_KB = Number(process.env.BENCH_FILE_KB ?? 30);
const COMMITS = Number(process.env.BENCH_COMMITS ?? 1500);
const root = fileURLToPath(new URL('..', import.meta.url));

const WORDS = ['user', 'order', 'token', 'config', 'fetch', 'render', 'state', 'payment', 'session', 'cache', 'value', 'result', 'item', 'query', 'handler', 'secretary', 'apiClient', 'password', 'email', 'invoice'];
let seed = 42;
function rnd(n) { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; }
function word() { return WORDS[rnd(WORDS.length)]; }
function codeLine() {
  switch (rnd(6)) {
    case 0: return `  const ${word()}${rnd(1000)} = await ${word()}.${word()}(${word()}, ${rnd(100)});`;
    case 1: return `  if (${word()}.${word()} === '${word()}-${rnd(99)}') return ${word()}(${rnd(10)});`;
    case 2: return `  // ${word()} ${word()} ${word()}: keep the ${word()} in sync with the ${word()}`;
    case 3: return `  ${word()}.${word()} = { id: ${rnd(100000)}, name: '${word()} ${word()}', tags: ['${word()}', '${word()}'] };`;
    case 4: return `export function ${word()}${rnd(10000)}(${word()}: string, ${word()}: number): boolean {`;
    default: return '}';
  }
}
function chunk(kb) {
  const lines = [];
  let size = 0;
  while (size < kb * 1024) { const l = codeLine(); lines.push(l); size += l.length + 1; }
  return lines;
}
// Assembled at run time: the repository of this tool never holds a live-looking key.
const body = (n) => randomBytes(n * 2).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, n);
const planted = ['sk', '_live_', body(24)].join('');
// secretlint's recommended preset has no Stripe rule: a GitHub token gives both tools something to find.
const plantedGithub = ['gh', 'p_', body(36)].join('');

function generate(dir) {
  execFileSync('git', ['init', '-q', dir]);
  const files = Array.from({ length: FILES }, () => chunk(FILE_KB));
  const parts = [];
  let mark = 0;
  const blob = (text) => { const data = Buffer.from(text); return `data ${data.length}\n${text}\n`; };
  const commit = (i, changes) => {
    const when = 1_700_000_000 + i * 3600;
    const msg = `commit ${i}`;
    parts.push(`commit refs/heads/main\nmark :${++mark}\nauthor Bench <bench@example.invalid> ${when} +0000\ncommitter Bench <bench@example.invalid> ${when} +0000\ndata ${msg.length}\n${msg}\n`);
    for (const [path, text] of changes) parts.push(`M 100644 inline ${path}\n${blob(text)}`);
    parts.push('\n');
  };
  commit(0, files.map((lines, i) => [`src/mod${i}.ts`, lines.join('\n') + '\n']));
  for (let c = 1; c <= COMMITS; c++) {
    const changes = [];
    for (let k = 0; k < 2; k++) {
      const f = rnd(FILES);
      const lines = files[f];
      // Rewrite a third of the file: about 10 KB of added lines per file.
      const at = rnd(Math.max(1, lines.length - Math.floor(lines.length / 3)));
      lines.splice(at, Math.floor(lines.length / 3), ...chunk(FILE_KB / 3));
      if (c === Math.floor(COMMITS / 2) && k === 0) lines.splice(5, 0, `  const stripe = "${planted}";`);
      if (c === COMMITS && k === 0) lines.splice(5, 0, `  const github = "${plantedGithub}";`);
      changes.push([`src/mod${f}.ts`, lines.join('\n') + '\n']);
    }
    commit(c, changes);
  }
  const r = spawnSync('git', ['fast-import', '--quiet'], { cwd: dir, input: Buffer.concat(parts.map((p) => Buffer.from(p))), maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`fast-import failed: ${r.stderr}`);
  execFileSync('git', ['checkout', '-q', '-f', 'main'], { cwd: dir });
}

function median(xs) { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; }

function timeGitLog(dir) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let bytes = 0;
    const child = spawn('git', ['log', '-p', '-U0', '--all'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.on('data', (d) => { bytes += d.length; });
    child.on('error', reject);
    child.on('close', () => resolve({ ms: performance.now() - t0, bytes }));
  });
}

async function timeOurHistory(dir) {
  const t0 = performance.now();
  let hits = 0;
  const stats = await scanHistory(dir, new SecretScanner(), { onHit: () => { hits++; } }, { maxBlobBytes: 2 * 1024 * 1024 });
  return { ms: performance.now() - t0, hits, stats };
}

async function timeOurTree(dir) {
  const t0 = performance.now();
  const s = await scanRepository(dir, { history: false });
  return { ms: performance.now() - t0, found: s.matches.length, files: s.tree.files, bytes: s.tree.bytes };
}

function timeSecretlint(dir, rc) {
  const bin = join(root, 'node_modules/.bin/secretlint');
  // Its JSON goes to a file: on a pipe secretlint exits before stdout is flushed and the report is cut at 64 KiB.
  const out = join(dir, '..', `secretlint-${process.pid}.json`);
  const t0 = performance.now();
  const r = spawnSync(bin, ['--secretlintrc', rc, '--format', 'json', '--output', out, '**/*'], { cwd: dir, encoding: 'utf8' });
  const ms = performance.now() - t0;
  let messages;
  try {
    messages = JSON.parse(readFileSync(out, 'utf8')).reduce((n, f) => n + f.messages.length, 0);
  } catch (err) {
    messages = `unreadable (${err.message}; stderr: ${r.stderr.slice(0, 200)})`;
  }
  rmSync(out, { force: true });
  return { ms, messages, status: r.status };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'lr-bench-secrets-'));
  try {
    const g0 = performance.now();
    generate(dir);
    console.log(`generated ${COMMITS + 1} commits, ${FILES} files of ~${FILE_KB} KB in ${Math.round(performance.now() - g0)} ms (${dir})`);

    const hasSecretlint = existsSync(join(root, 'node_modules/.bin/secretlint')) && existsSync(join(root, 'node_modules/@secretlint/secretlint-rule-preset-recommend'));
    const rc = join(dir, '..', `secretlintrc-${process.pid}.json`);
    writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));

    // Warm-up: page cache and git's pack index.
    await timeGitLog(dir);
    const git = [], ours = [], tree = [], lint = [];
    let last, lastTree, lastLint, logBytes = 0;
    for (let i = 0; i < RUNS; i++) {
      const g = await timeGitLog(dir); git.push(g.ms); logBytes = g.bytes;
      last = await timeOurHistory(dir); ours.push(last.ms);
      lastTree = await timeOurTree(dir); tree.push(lastTree.ms);
      if (hasSecretlint) { lastLint = timeSecretlint(dir, rc); lint.push(lastLint.ms); }
    }
    rmSync(rc, { force: true });

    const mb = (b) => (b / 1024 / 1024).toFixed(1);
    const gitMs = median(git), oursMs = median(ours), treeMs = median(tree);
    console.log(`\nhistory: git log -p -U0 --all streams ${mb(logBytes)} MB in ${gitMs.toFixed(0)} ms (floor)`);
    console.log(`history: our scan (${last.stats.commits} commits, ${mb(last.stats.bytes)} MB, ${last.hits} hit(s)) ${oursMs.toFixed(0)} ms`);
    console.log(`history: ratio ours / git = ${(oursMs / gitMs).toFixed(2)}x (target <= 1.5x) ${oursMs / gitMs <= 1.5 ? 'OK' : 'MISSED'}`);
    console.log(`history: throughput ${(last.stats.bytes / 1024 / 1024 / (oursMs / 1000)).toFixed(1)} MB/s of diff`);
    console.log(`\ntree: our scan of ${lastTree.files} files (${mb(lastTree.bytes)} MB), ${lastTree.found} secret(s): ${treeMs.toFixed(0)} ms`);
    if (hasSecretlint) {
      const lintMs = median(lint);
      console.log(`tree: secretlint (preset-recommend) on the same tree, ${lastLint.messages} message(s), exit ${lastLint.status}: ${lintMs.toFixed(0)} ms`);
      console.log(`tree: ratio secretlint / ours = ${(lintMs / treeMs).toFixed(2)}x (target > 1x) ${lintMs > treeMs ? 'OK' : 'MISSED'}`);
      console.log(`history+tree vs secretlint tree only: ${((oursMs + treeMs) / lintMs).toFixed(2)}x of secretlint's time`);
    } else {
      console.log('tree: secretlint is not installed (npm install): its comparison is skipped');
    }
  } finally {
    if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
