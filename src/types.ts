// Core vocabulary shared by checks, the runner, ranking and reporters. Types only, plus the fixed name lists.

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Fixed area names, used by --only/--skip and in reports. `config` holds findings about the tool's own config. */
export const AREAS = [
  'dns', 'tls', 'redirects', 'edge', 'email', 'secrets', 'hygiene',
  'latency', 'load', 'deploy', 'flows', 'ai', 'database', 'config',
] as const;
export type Area = (typeof AREAS)[number];

/**
 * Old area names still accepted wherever a user names an area: --only/--skip, the config's only/skip and accepted
 * risk ids. `headers` became `edge` (the area holds exposed files, bundle secrets and CDN protection too).
 */
export const AREA_ALIASES: Readonly<Record<string, Area>> = { headers: 'edge' };

/** An area, check or finding id as the user wrote it, with an old area name replaced by today's. */
export function canonicalId(id: string): string {
  const dot = id.indexOf('.');
  const head = dot < 0 ? id : id.slice(0, dot);
  const area = AREA_ALIASES[head];
  return area ? `${area}${dot < 0 ? '' : id.slice(dot)}` : id;
}

/** What a finding does to a launch; ranks findings of equal severity. Ordered most to least urgent. */
export const IMPACTS = ['auth', 'data-exposure', 'email', 'availability', 'performance', 'hygiene'] as const;
export type Impact = (typeof IMPACTS)[number];

export const CHECK_STATUSES = ['pass', 'fail', 'warn', 'not-applicable', 'error'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export const VERDICTS = ['go', 'no-go', 'incomplete'] as const;
export type Verdict = (typeof VERDICTS)[number];

import type { z } from 'zod';
import type {
  CertificateMeasurementSchema, CheckOutcomeSchema, EndpointMeasurementSchema, FindingSchema, LoadStepMeasurementSchema, LocationSchema,
  MeasurementsSchema, OccurrenceSchema, ReportSchema, SummarySchema,
} from './report/schema.js';

/** Where a finding is. Every field optional: a DNS finding has host/record, a secret has file/line/commit. */
export type Location = z.infer<typeof LocationSchema>;
export type ArgValue = string | number | boolean | null | readonly string[];
export type Args = Record<string, ArgValue>;
/** A finding after the runner has rendered its wording from the check's meta. */
export type Finding = z.infer<typeof FindingSchema>;
export type Occurrence = z.infer<typeof OccurrenceSchema>;
export type Measurements = z.infer<typeof MeasurementsSchema>;
export type CertificateMeasurement = z.infer<typeof CertificateMeasurementSchema>;
export type EndpointMeasurement = z.infer<typeof EndpointMeasurementSchema>;
export type LoadStepMeasurement = z.infer<typeof LoadStepMeasurementSchema>;
export type CheckOutcome = z.infer<typeof CheckOutcomeSchema>;
export type Summary = z.infer<typeof SummarySchema>;
export type Report = z.infer<typeof ReportSchema>;
