// The Markdown reporter: table cells stay one cell (no line breaks, no pipes, no HTML), and code spans show their
// text as written, since an entity inside backticks prints literally on GitHub.
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/report/markdown.js';
import { recordedReport as sampleReport } from '../fixtures/recorded-report.js';

function withRemediation(text: string): string {
  const base = sampleReport();
  const report = { ...base, findings: base.findings.map((f, i) => (i === 0 ? { ...f, remediation: text } : f)) };
  return renderMarkdown(report);
}

describe('markdown report cells', () => {
  it('keeps < and > as written inside code spans', () => {
    const md = withRemediation('Run `launch-ready spf <file>` and compare.');
    expect(md).toContain('`launch-ready spf <file>`');
    expect(md).not.toContain('&lt;file&gt;');
  });

  it('escapes HTML outside code spans', () => {
    const md = withRemediation('Remove <script src=x> from the page, keep `<b>` in code.');
    expect(md).toContain('&lt;script src=x&gt;');
    expect(md).not.toContain('<script');
    expect(md).toContain('`<b>`');
  });

  it('escapes pipes everywhere, code spans included, and joins lines', () => {
    const md = withRemediation('a | b\nthen `x | y`');
    expect(md).toContain('a \\| b then `x \\| y`');
  });

  it('treats an unpaired backtick as text', () => {
    const md = withRemediation('odd ` then <i>');
    expect(md).toContain('odd ` then &lt;i&gt;');
  });
});
