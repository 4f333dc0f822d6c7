// SARIF 2.1.0 reporter for GitHub code scanning: one rule per check, stable partial fingerprints, no secrets.
import type { Finding, Report, Severity } from '../types.js';

/** GitHub maps security-severity to critical (>= 9), high (7-8.9), medium (4-6.9), low (0.1-3.9). */
export const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

/**
 * Findings without a file (DNS, TLS, HTTP...) are anchored to the config file when the run used one, else to
 * `launch-ready.config.json`, the default config path, at line 1: GitHub needs a file for every alert, and one
 * fixed anchor keeps them together. The host/record/URL goes into logicalLocations and the message.
 */
export const VIRTUAL_ANCHOR = 'launch-ready.config.json';

export interface SarifOptions {
  /** Repository root that file paths are relative to (defaults to report.target.repo). */
  repoRoot?: string;
  informationUri?: string;
}

function relativeTo(root: string | undefined, path: string): string {
  const p = path.replace(/\\/g, '/');
  if (root) {
    const r = root.replace(/\\/g, '/').replace(/\/$/, '');
    if (p.startsWith(`${r}/`)) return p.slice(r.length + 1);
  }
  // Outside the repository (or no repository): the file name is the best stable anchor we have.
  return p.startsWith('/') ? p.slice(p.lastIndexOf('/') + 1) : p;
}

function where(f: Finding): string {
  const l = f.location;
  return [l.host, l.record, l.url].filter(Boolean).join(' · ');
}

function physicalLocation(f: Finding, report: Report, root: string | undefined) {
  if (f.location.file) {
    return {
      artifactLocation: { uri: relativeTo(root, f.location.file), uriBaseId: '%SRCROOT%' },
      region: { startLine: Math.max(1, f.location.line ?? 1) },
    };
  }
  return {
    artifactLocation: { uri: report.target.config ? relativeTo(root, report.target.config) : VIRTUAL_ANCHOR, uriBaseId: '%SRCROOT%' },
    region: { startLine: 1 },
  };
}

export function renderSarif(report: Report, opts: SarifOptions = {}): string {
  const root = opts.repoRoot ?? report.target.repo;
  const checks = [...new Map(report.checks.map((c) => [c.id, c])).values()];
  // Rule metadata comes from the findings (title, remediation) and the check outcomes (severity, area).
  const firstFinding = new Map<string, Finding>();
  for (const f of report.findings) if (!firstFinding.has(f.checkId)) firstFinding.set(f.checkId, f);
  const rules = checks.map((c) => {
    const f = firstFinding.get(c.id);
    const help = f ? `${f.whatBreaks}\n\nFix: ${f.remediation}` : c.title;
    return {
      id: `${c.area}.${c.id}`,
      name: c.id.replace(/(^|-)([a-z])/g, (_m, _d, ch: string) => ch.toUpperCase()),
      shortDescription: { text: c.title },
      fullDescription: { text: f?.whatBreaks ?? c.title },
      help: { text: help, markdown: f ? `**What breaks:** ${f.whatBreaks}\n\n**Fix:** ${f.remediation}` : c.title },
      ...(f?.references[0] ? { helpUri: f.references[0] } : {}),
      defaultConfiguration: { level: LEVEL[c.severity] },
      properties: { 'security-severity': SECURITY_SEVERITY[c.severity], tags: ['launch-readiness', c.area], precision: 'high' },
    };
  });
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results = report.findings.map((f) => {
    const ruleId = `${f.area}.${f.checkId}`;
    const place = where(f);
    return {
      ruleId,
      ruleIndex: ruleIndex.get(ruleId) ?? 0,
      level: LEVEL[f.severity],
      message: { text: `${f.message}${place && !f.location.file ? ` [${place}]` : ''} What breaks: ${f.whatBreaks} Fix: ${f.remediation}` },
      locations: [{
        physicalLocation: physicalLocation(f, report, root),
        ...(place ? { logicalLocations: [{ name: place, kind: 'resource' }] } : {}),
      }],
      ...(f.count > 1 ? {
        relatedLocations: f.occurrences.map((o, i) => ({
          id: i + 1,
          physicalLocation: physicalLocation({ ...f, location: o }, report, root),
          logicalLocations: [{ name: [o.host, o.record, o.url].filter(Boolean).join(' · ') || o.case || '-', kind: 'resource' }],
          message: { text: o.message },
        })),
      } : {}),
      partialFingerprints: { 'launchReady/v1': f.fingerprint },
      ...(f.accepted ? { suppressions: [{ kind: 'external', status: 'accepted', justification: f.accepted.reason }] } : {}),
      properties: {
        id: f.id,
        severity: f.severity,
        'security-severity': SECURITY_SEVERITY[f.severity],
        impact: f.impact,
        rank: f.rank,
        places: f.count,
        ...(f.location.commit ? { commit: f.location.commit } : {}),
      },
    };
  });
  const errored = report.checks.filter((c) => c.status === 'error');
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: report.tool.name, version: report.tool.version, semanticVersion: report.tool.version, informationUri: opts.informationUri ?? 'https://github.com/launch-ready/launch-ready', rules } },
      automationDetails: { id: `launch-ready/${report.target.domains.join(',') || 'repo'}/` },
      invocations: [{
        executionSuccessful: true,
        startTimeUtc: report.startedAt,
        ...(errored.length ? {
          toolExecutionNotifications: errored.map((c) => ({ level: 'warning', message: { text: `${c.area}.${c.id} could not be completed: ${c.error ?? ''}` }, descriptor: { id: `${c.area}.${c.id}` } })),
        } : {}),
      }],
      results,
      properties: { verdict: report.verdict, verdictReason: report.verdictReason, failOn: report.failOn },
    }],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
