// The JSON report's zod schema: the single source for the report's types and its published JSON Schema.
import { z } from 'zod';
import { AREAS, CHECK_STATUSES, IMPACTS, SEVERITIES, VERDICTS } from '../types.js';

export const LocationSchema = z.strictObject({
  host: z.string().optional(),
  url: z.string().optional(),
  record: z.string().optional(),
  file: z.string().optional(),
  line: z.number().int().optional(),
  commit: z.string().optional(),
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
  rank: z.number().int().min(1),
  fingerprint: z.string(),
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
  durationMs: z.number().min(0),
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
});

export const ReportSchema = z.strictObject({
  schemaVersion: z.literal(1),
  tool: z.strictObject({ name: z.string(), version: z.string() }),
  target: z.strictObject({
    domains: z.array(z.string()),
    hosts: z.array(z.string()),
    config: z.string().optional(),
    repo: z.string().optional(),
  }),
  startedAt: z.string(),
  durationMs: z.number().min(0),
  failOn: z.enum(SEVERITIES),
  verdict: z.enum(VERDICTS),
  verdictReason: z.string(),
  summary: SummarySchema,
  findings: z.array(FindingSchema),
  checks: z.array(CheckOutcomeSchema),
  incomplete: z.array(z.strictObject({ id: z.string(), error: z.string() })),
});
