// The JSON report's zod schema: the single source for the report's types and its published JSON Schema.
import { z } from 'zod';
import { AREAS, CHECK_STATUSES, IMPACTS, SEVERITIES, VERDICTS } from '../types.js';
import { DISCOVERY_SOURCES } from '../facts/discover.js';

export const LocationSchema = z.strictObject({
  host: z.string().optional(),
  url: z.string().optional(),
  record: z.string().optional(),
  file: z.string().optional(),
  line: z.number().int().optional(),
  commit: z.string().optional(),
});

/** One place where a grouped finding's problem shows: its location, plus what differs per place. */
export const OccurrenceSchema = z.strictObject({
  ...LocationSchema.shape,
  case: z.string().optional().describe('The red-team case or flow step, when the place is one'),
  message: z.string().describe('The problem as it shows at this place'),
  evidence: z.string().optional().describe('Redacted: never a whole secret'),
  fingerprint: z.string().describe('Fingerprint of this place alone: what reports before grouping used, still matched by baselines'),
  accepted: z.string().optional().describe('Why this place alone is accepted, when the finding as a whole is not'),
});

const ArgValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);

export const FindingSchema = z.strictObject({
  id: z.string().regex(/^[a-z]+\.[a-z0-9-]+\.[a-z0-9-]+$/).describe('area.check-id.code'),
  checkId: z.string(),
  area: z.enum(AREAS),
  code: z.string(),
  severity: z.enum(SEVERITIES),
  impact: z.enum(IMPACTS),
  title: z.string(),
  message: z.string().describe('What is wrong, with the concrete values'),
  whatBreaks: z.string().describe('What breaks for real users'),
  remediation: z.string(),
  references: z.array(z.string()),
  location: LocationSchema,
  evidence: z.string().optional().describe('Redacted: never a whole secret'),
  args: z.record(z.string(), ArgValueSchema),
  occurrences: z.array(OccurrenceSchema).min(1).describe('Every place this one problem shows, in a stable order; location is the first'),
  count: z.number().int().min(1).describe('How many places: occurrences.length'),
  explains: z.array(z.strictObject({ id: z.string(), message: z.string(), count: z.number().int().min(1), fingerprints: z.array(z.string()) })).optional()
    .describe('Findings of other checks this one causes on the same host, folded into it (e.g. a loop that also downgrades)'),
  rank: z.number().int().min(1),
  fingerprint: z.string().describe('Stable across runs and independent of the order of occurrences'),
  accepted: z.strictObject({
    reason: z.string(),
    expires: z.string().optional(),
    baseline: z.boolean().optional().describe('Known from the --baseline report: listed, not counted toward the verdict'),
  }).optional(),
});

export const CheckOutcomeSchema = z.strictObject({
  id: z.string(),
  area: z.enum(AREAS),
  severity: z.enum(SEVERITIES),
  title: z.string(),
  status: z.enum(CHECK_STATUSES),
  durationMs: z.number().min(0).describe('From the start of the run until the result was ready: collecting the facts it needs (shared with other checks) and evaluating them; 0 when not applicable'),
  details: z.record(z.string(), z.unknown()).optional(),
  error: z.string().optional(),
  reason: z.string().optional(),
  findings: z.number().int().min(0),
});

export const SummarySchema = z.strictObject({
  critical: z.number().int(),
  high: z.number().int(),
  medium: z.number().int(),
  low: z.number().int(),
  info: z.number().int(),
  accepted: z.number().int(),
  places: z.number().int().describe('Places the open findings show at (a finding is one problem, listed at each place)'),
});

/** What the checks measured, typed: the reports' charts and the diff read these, never free-form details. */
export const CertificateMeasurementSchema = z.strictObject({
  host: z.string(),
  port: z.number().int(),
  issuer: z.string(),
  notAfter: z.string(),
  daysLeft: z.number().int().describe('Whole days from the run to notAfter; negative once expired'),
  chain: z.string().describe('trusted, self-signed, unknown-issuer, incomplete, bad-signature, empty or unknown'),
});

export const EndpointMeasurementSchema = z.strictObject({
  name: z.string(),
  method: z.string(),
  url: z.string(),
  p50Ms: z.number().nullable().describe('null: nothing was measured (not 0 ms)'),
  p95Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
  maxMs: z.number().nullable(),
  budgetP95Ms: z.number(),
  attempted: z.number().int(),
  errors: z.number().int(),
  errorRate: z.number(),
});

export const LoadStepMeasurementSchema = z.strictObject({
  endpoint: z.string(),
  concurrency: z.number().int(),
  rps: z.number(),
  p95Ms: z.number().nullable(),
  errorRate: z.number(),
  ok: z.boolean(),
});

export const MeasurementsSchema = z.strictObject({
  certificates: z.array(CertificateMeasurementSchema),
  endpoints: z.array(EndpointMeasurementSchema),
  loadSteps: z.array(LoadStepMeasurementSchema),
  discoveredHosts: z.array(z.strictObject({
    host: z.string(),
    source: z.enum(DISCOVERY_SOURCES),
    from: z.string().optional().describe('What it was found in: a host, a page URL, file:line, a nameserver, an online source'),
  })).optional().describe('One row per discovered host and way it was found, when discovery ran'),
});

export const ReportSchema = z.strictObject({
  schemaVersion: z.literal(1),
  tool: z.strictObject({ name: z.string(), version: z.string() }),
  target: z.strictObject({
    domains: z.array(z.string()),
    hosts: z.array(z.string()),
    config: z.string().optional(),
    repo: z.string().optional(),
    discovered: z.array(z.strictObject({
      host: z.string(),
      via: z.array(z.strictObject({ source: z.enum(DISCOVERY_SOURCES), from: z.string().optional() })).describe('Every way the host was found'),
      dnsOnly: z.boolean().optional().describe('Nothing answered on a web port: only its DNS was checked'),
    })).optional().describe('Hosts discovery found beyond the standard and configured ones, when it ran'),
    discovery: z.strictObject({
      standard: z.number().int().describe('Hosts from the config and the defaults'),
      found: z.number().int(),
      cut: z.number().int().describe('Hosts found beyond discover.maxHosts and left out'),
      queries: z.number().int(),
      elapsedMs: z.number(),
      exhausted: z.enum(['time', 'queries']).optional().describe('The bound that stopped discovery early'),
      wildcards: z.array(z.string()).describe('Domains whose zone answers any name (wordlist hits matching it were dropped)'),
      errors: z.array(z.string()).optional().describe('Sources that failed or were cut (an online source down, repository files not read)'),
    }).optional(),
  }),
  startedAt: z.string(),
  durationMs: z.number().min(0),
  failOn: z.enum(SEVERITIES),
  verdict: z.enum(VERDICTS),
  verdictReason: z.string(),
  summary: SummarySchema,
  findings: z.array(FindingSchema),
  checks: z.array(CheckOutcomeSchema),
  measurements: MeasurementsSchema,
  incomplete: z.array(z.strictObject({ id: z.string(), error: z.string() })),
});
