// AI red-team facts: one bounded request per case against a chatbot endpoint, and what its reply leaked.
// Replies are never stored whole: only the length and masked excerpts around each leak.
import type { AiConfig } from '../flows/schema.js';

/** The config's AI endpoints on the target, under a symbol key (headers may carry API keys): never serialized. */
export const AI_SPECS: unique symbol = Symbol('launch-ready.ai.specs');

export interface AiTarget {
  names: string[];
  [AI_SPECS]?: AiConfig[];
}

export type AiLeakKind = 'canary' | 'secret' | 'forbidden';

export interface AiLeak {
  kind: AiLeakKind;
  /** The canary label (never its value), the secrets rule id, or the forbidden pattern's label. */
  label: string;
  /** The reply around the match, with the matched value masked. */
  evidence: string;
}

export interface AiCaseResult {
  id: string;
  category: string;
  title: string;
  /** True for cases from the config. */
  custom: boolean;
  status?: number;
  durationMs?: number;
  /** Set when no reply could be read (network error, timeout, non-2xx, no text at the reply pointer). */
  error?: string;
  replyChars?: number;
  leaks: AiLeak[];
}

export interface AiRun {
  name: string;
  /** The endpoint URL with query values masked. */
  url: string;
  cases: AiCaseResult[];
}
