// Config loading: strict validation with errors that name the path, JSON with comments, ${env:...} and redaction.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseJsonc, stripJsonComments, validateConfig } from '../src/config/load.js';
import { targetFromConfig } from '../src/config/target.js';
import { maskSecret, Redactor } from '../src/redact.js';

function tempConfig(text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lr-config-'));
  const file = join(dir, 'launch-ready.config.json');
  writeFileSync(file, text);
  return { dir, file };
}

function problems(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('config validation', () => {
  it('names the path, what was expected and how to fix an unknown key', () => {
    const msg = problems(() => validateConfig({ domains: [{ name: 'shop.test', hostz: ['www'] }] }, 'lr.json'));
    expect(msg).toBe('lr.json: domains[0]: unknown key "hostz": check the spelling (`launch-ready schema config` lists every key)');
  });

  it('reports a wrong type with the path', () => {
    expect(problems(() => validateConfig({ domains: [{ name: 'shop.test', hosts: 'www' }] }))).toMatch(/^config: domains\[0\]\.hosts: expected array, got string$/);
  });

  it('reports an invalid enum value with the allowed ones', () => {
    expect(problems(() => validateConfig({ domains: [{ name: 'shop.test', canonical: 'naked' }] }))).toMatch(/domains\[0\]\.canonical: expected one of "apex", "www"/);
  });

  it('reports a bad domain name and a bad IP with the value', () => {
    const msg = problems(() => validateConfig({ domains: [{ name: 'not a domain', expect: { api: { A: ['999.1.1.1'] } } }] }));
    expect(msg).toMatch(/domains\[0\]\.name: expected a domain name such as example\.com \(got "not a domain"\)/);
    expect(msg).toMatch(/domains\[0\]\.expect\.api\.A\[0\]: expected an IPv4 address/);
  });

  it('reports every problem at once', () => {
    const msg = problems(() => validateConfig({ failOn: 'severe', endpoints: [{ name: 'x', url: 'ftp://x' }] }));
    expect(msg.split('\n')).toHaveLength(2);
    expect(msg).toMatch(/endpoints\[0\]\.url: expected an absolute http\(s\) URL/);
  });

  it('applies defaults', () => {
    const c = validateConfig({ domains: [{ name: 'shop.test' }], endpoints: [{ name: 'h', url: 'https://api.shop.test/health' }] });
    expect(c.domains[0]!.canonical).toBe('apex');
    expect(c.endpoints[0]).toMatchObject({ method: 'GET', kind: 'read' });
    expect(c.accept).toEqual([]);
  });
});

describe('JSON with comments', () => {
  it('strips comments and trailing commas but not inside strings', () => {
    const text = '{\n // c\n "a": "http://x/*y*/", /* b */ "b": [1,2,],\n}';
    expect(parseJsonc(text)).toEqual({ a: 'http://x/*y*/', b: [1, 2] });
    expect(stripJsonComments('"a\\"//b"')).toBe('"a\\"//b"');
  });

  it('gives the line and column of a syntax error', () => {
    expect(problems(() => parseJsonc('{\n  "a": 1\n  "b": 2\n}', 'x.json'))).toMatch(/^x\.json: is not valid JSON at line 3, column 3/);
  });
});

describe('loading', () => {
  it('loads ./launch-ready.config.json by default and interpolates ${env:...}', async () => {
    const { dir } = tempConfig('{ "project": "p-${env:LR_TEST_SUFFIX}", "domains": [{ "name": "shop.test" }] }');
    const loaded = await loadConfig({ cwd: dir, env: { LR_TEST_SUFFIX: 'hunter2-value' } });
    expect(loaded.config.project).toBe('p-hunter2-value');
    expect(loaded.redactor.redact('token=hunter2-value')).toBe('token=[redacted:env:LR_TEST_SUFFIX]');
  });

  it('an unset variable is an error naming the path and the variable', async () => {
    const { file } = tempConfig('{ "endpoints": [{ "name": "a", "url": "https://x.test", "headers": { "Authorization": "Bearer ${env:LR_MISSING}" } }] }');
    await expect(loadConfig({ file, cwd: '/', env: {} })).rejects.toThrow(/endpoints\[0\]\.headers\.Authorization: uses \$\{env:LR_MISSING\} but the environment variable LR_MISSING is not set/);
  });

  it('a missing --config file is an error that says how to create one', async () => {
    await expect(loadConfig({ file: 'nope.json', cwd: '/tmp', env: {} })).rejects.toThrow(/nope\.json: file not found\. Create one with `launch-ready init/);
  });

  it('no config at all is an empty, valid config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lr-empty-'));
    const loaded = await loadConfig({ cwd: dir, env: {} });
    expect(loaded.file).toBeUndefined();
    expect(loaded.config.domains).toEqual([]);
  });
});

describe('target', () => {
  it('defaults to apex, www, api, admin, app; apex and www always count as declared', () => {
    const t = targetFromConfig(validateConfig({}), ['Shop.Test.'], new Date('2026-11-29T00:00:00Z'));
    expect(t.domains[0]!.hosts.map((h) => [h.name, h.declared])).toEqual([
      ['shop.test', true], ['www.shop.test', true], ['api.shop.test', false], ['admin.shop.test', false], ['app.shop.test', false],
    ]);
  });

  it('explicit hosts are declared; expect adds hosts; CLI domains narrow the config', () => {
    const config = validateConfig({ domains: [{ name: 'shop.test', hosts: ['api'], expect: { '@': { A: ['127.0.0.1'] }, status: { CNAME: 'x.statuspage.io' } } }, { name: 'other.test' }] });
    const t = targetFromConfig(config, ['shop.test'], new Date());
    expect(t.domains).toHaveLength(1);
    expect(t.domains[0]!.hosts.map((h) => [h.label, h.declared, h.expect])).toEqual([
      ['@', true, { A: ['127.0.0.1'] }], ['api', true, undefined], ['status', true, { CNAME: 'x.statuspage.io' }],
    ]);
  });
});

describe('redaction', () => {
  it('scrubs every spelling of a secret: raw, JSON-escaped and URL-encoded, longest first', () => {
    const r = new Redactor();
    r.add('p@ss"word/1', 'env:A');
    r.add('p@ss', 'env:B');
    expect(r.redact('a p@ss"word/1 b')).toBe('a [redacted:env:A] b');
    expect(r.redact(JSON.stringify({ x: 'p@ss"word/1' }))).toBe('{"x":"[redacted:env:A]"}');
    expect(r.redact(`q=${encodeURIComponent('p@ss"word/1')}`)).toBe('q=[redacted:env:A]');
    expect(r.redact('p@ss')).toBe('[redacted:env:B]');
  });

  it('maskSecret shows a short prefix and the length only', () => {
    expect(maskSecret(['sk', 'live', '0123456789abcdef'].join('_'))).toBe('sk_l…[redacted, 24 chars]');
    expect(maskSecret('abcd')).not.toContain('abcd');
  });
});

describe('secrets in config errors', () => {
  it('a bad value that came from ${env:...} is redacted in the error', async () => {
    const { file } = tempConfig('{ "domains": [{ "name": "${env:LR_SECRET_DOMAIN}" }] }');
    const secret = ['very', 'secret', 'token value'].join('-');
    const err = await loadConfig({ file, cwd: '/', env: { LR_SECRET_DOMAIN: secret } }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/domains\[0\]\.name: expected a domain name .*\(got "\[redacted:env:LR_SECRET_DOMAIN\]"\)/);
    expect((err as Error).message).not.toContain('secret');
  });
});

describe('bad values quoted back', () => {
  it('mask credentials in URLs and secret-looking parameters, and stay short', async () => {
    const { quoteInput } = await import('../src/config/load.js');
    const pw = ['hun', 'ter', '22'].join('');
    expect(quoteInput(`postgres://app:${pw}@db.internal:5432/x?sslmode=require`)).toBe('postgres://***@db.internal:5432/x?sslmode=require');
    expect(quoteInput(`https://x.test/?token=${pw}&a=1`)).toBe('https://x.test/?token=***&a=1');
    expect(quoteInput('x'.repeat(500))).toHaveLength(120);
    const msg = problems(() => validateConfig({ endpoints: [{ name: 'a', url: `ftp://u:${pw}@x.test/` }] }));
    expect(msg).not.toContain(pw);
  });
});
