// The walls between layers are lint rules, not comments: each case lints a deliberate violation (and its allowed
// twin) as if it were a file at that path, with the project's own eslint.config.js.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function ruleIds(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

const cases: { wall: string; file: string; bad: string; good: string; rule?: string }[] = [
  { wall: 'the CLI goes through the front door', file: 'src/cli/x.ts', bad: "import { collectors } from '../collect/index.js';\nexport const x = collectors;", good: "import { audit } from '../run/plan.js';\nexport const x = audit;" },
  { wall: 'the CLI runs no check itself', file: 'src/cli/x.ts', bad: "import { allChecks } from '../checks/index.js';\nexport const x = allChecks;", good: "import { UsageError } from '../errors.js';\nexport const x = UsageError;" },
  { wall: 'the CLI loads no I/O library', file: 'src/cli/x.ts', bad: "import { request } from 'undici';\nexport const x = request;", good: "import { renderJson } from '../report/json.js';\nexport const x = renderJson;" },
  { wall: 'reporters are pure', file: 'src/report/x.ts', bad: "import { writeFile } from 'node:fs/promises';\nexport const x = writeFile;", good: "import type { Report } from '../types.js';\nexport type X = Report;" },
  { wall: 'reporters read no check', file: 'src/report/x.ts', bad: "import { allChecks } from '../checks/index.js';\nexport const x = allChecks;", good: "import { atOrAbove } from '../rank/index.js';\nexport const x = atOrAbove;" },
  { wall: 'rank reads no collector', file: 'src/rank/x.ts', bad: "import { collectors } from '../collect/index.js';\nexport const x = collectors;", good: "import type { Finding } from '../types.js';\nexport type X = Finding;" },
  { wall: 'collectors never judge', file: 'src/collect/x/y.ts', bad: "import { allChecks } from '../../checks/index.js';\nexport const x = allChecks;", good: "import type { FactKey } from '../../facts/index.js';\nexport type X = FactKey;" },
  { wall: 'checks do no I/O', file: 'src/checks/dns/x.ts', bad: "import pg from 'pg';\nexport const x = pg;", good: "import type { FactKey } from '../../facts/index.js';\nexport type X = FactKey;" },
  { wall: 'checks load no load generator', file: 'src/checks/load/x.ts', bad: "import autocannon from 'autocannon';\nexport const x = autocannon;", good: "import { defineCheck } from '../define.js';\nexport const x = defineCheck;" },
  { wall: 'checks read no collector', file: 'src/checks/dns/x.ts', bad: "import { collectors } from '../../collect/index.js';\nexport const x = collectors;", good: "import type { ZoneFacts } from '../../facts/dns.js';\nexport type X = ZoneFacts;" },
];

describe('layer walls in lint', () => {
  it.each(cases)('$wall: a violation fails, its allowed twin passes', async ({ file, bad, good }) => {
    expect(await ruleIds(file, bad)).toContain('no-restricted-imports');
    expect(await ruleIds(file, good)).toEqual([]);
  });
});

describe('walls that need the derive layer and the one fetch', () => {
  it.each([
    { wall: 'a check never imports a sibling check', file: 'src/checks/dns/x.ts', bad: "import other from './dangling-cname.js';\nexport const x = other;", good: "import { hostChain } from '../../derive/dns.js';\nexport const x = hostChain;" },
    { wall: 'a check never imports a check of another area', file: 'src/checks/tls/x.ts', bad: "import other from '../redirects/redirect-loop.js';\nexport const x = other;", good: "import { defineCheck } from '../define.js';\nexport const x = defineCheck;" },
    { wall: 'collectors outside src/collect/http load no undici', file: 'src/collect/edge/x.ts', bad: "import { request } from 'undici';\nexport const x = request;", good: "import { httpFetch } from '../http/fetch.js';\nexport const x = httpFetch;" },
    { wall: 'the front door loads no undici', file: 'src/run/x.ts', bad: "import { request } from 'undici';\nexport const x = request;", good: "import { EXIT } from '../errors.js';\nexport const x = EXIT;" },
    { wall: 'collectors never judge (beside undici)', file: 'src/collect/edge/x.ts', bad: "import { allChecks } from '../../checks/index.js';\nexport const x = allChecks;", good: "import type { FactKey } from '../../facts/index.js';\nexport type X = FactKey;" },
  ])('$wall', async ({ file, bad, good }) => {
    expect(await ruleIds(file, bad)).toContain('no-restricted-imports');
    expect(await ruleIds(file, good)).toEqual([]);
  });

  it('a check asserts no type (as const is fine)', async () => {
    expect(await ruleIds('src/checks/dns/x.ts', "const v: unknown = 1;\nexport const x = v as number;")).toContain('@typescript-eslint/consistent-type-assertions');
    expect(await ruleIds('src/checks/dns/x.ts', "export const x = ['a'] as const;")).toEqual([]);
  });
});
