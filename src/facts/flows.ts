// Flow facts: what each declared HTTP scenario (custom or built-in auth template) did, step by step. Values
// extracted from responses (tokens) and request credentials never appear here: only outcomes and masked excerpts.
import type { FlowConfig } from '../flows/schema.js';

/**
 * The config's flows on the target, under a symbol key: the target is written out as JSON (reports,
 * --save-facts), which skips symbol keys, so credentials interpolated from ${env:...} never travel with it.
 */
export const FLOW_SPECS: unique symbol = Symbol('launch-ready.flows.specs');

export interface FlowsTarget {
  /** Flow names and templates, for checks (not-applicable reasons, details). */
  names: { name: string; template: string }[];
  [FLOW_SPECS]?: FlowConfig[];
}

/** Why a step failed; each is a finding code of flows.broken-flow-step. */
export const FLOW_FAILURE_KINDS = [
  'unreachable', 'unexpected-status', 'unexpected-body', 'missing-value', 'over-budget',
  'refresh-token-reusable', 'refresh-token-not-rotated', 'session-survives-logout',
  'account-enumeration', 'reset-token-leaked', 'callback-error',
] as const;
export type FlowFailureKind = (typeof FLOW_FAILURE_KINDS)[number];

export interface StepFailure {
  kind: FlowFailureKind;
  /** What the step had to show, in words (e.g. "status 401 or 403"). */
  expected: string;
  /** What it showed; secrets masked. */
  actual: string;
}

export interface StepOutcome {
  name: string;
  method: string;
  /** The URL as requested, with query values masked. */
  url: string;
  /** False when an earlier failure left this step without what it needs (e.g. no token). */
  ran: boolean;
  skippedBecause?: string;
  status?: number;
  durationMs?: number;
  budgetMs?: number;
  /** What a user experiences when this step fails. */
  userImpact: string;
  failures: StepFailure[];
}

export interface FlowRun {
  name: string;
  /** 'custom' or the template name. */
  template: string;
  steps: StepOutcome[];
}
