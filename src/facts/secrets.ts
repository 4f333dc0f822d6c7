// Secrets facts: what the working-tree and history scans found, already redacted (no raw secret is ever a fact).
import type { Severity } from '../types.js';

export interface SecretOccurrence {
  file: string;
  /** Absent inside a binary file. */
  line?: number;
  /** Full sha of the commit that added it (history only). */
  commit?: string;
  /** Author date of that commit, ISO. */
  date?: string;
  /** The line with the secret masked, for places listed beyond the first (the match's own `evidence` is the first's). */
  evidence?: string;
}

/** One distinct secret value under one rule, wherever it appears. */
export interface SecretMatch {
  /** Stable id of the value (a hash): baselines and accept entries refer to it. */
  secretId: string;
  ruleId: string;
  description: string;
  severity: Severity;
  rotate: string;
  /** Short prefix and length only. */
  masked: string;
  length: number;
  /** The line with the secret masked. */
  evidence: string;
  publicByDesign: boolean;
  /** Where it is in the current files, when it still is. */
  inTree?: SecretOccurrence;
  /** Its other places in the current files (the same value pasted elsewhere), up to a cap. */
  alsoInTree?: SecretOccurrence[];
  /** The oldest commit that added it. */
  introduced?: SecretOccurrence;
  /** How many commits added it. */
  commits: number;
  inBinary: boolean;
}

export interface SkippedFile {
  path: string;
  reason: 'too-large' | 'unreadable';
  size?: number;
}

/** A committed environment or credentials file: a finding even when no rule matches its content. */
export interface SensitiveFile {
  path: string;
  kind: 'env' | 'credentials' | 'private-key' | 'keystore';
  /** Tracked in the current tree. */
  tracked: boolean;
  /** Present in the working tree, untracked and not ignored: the next `git add .` commits it. */
  unignored: boolean;
  /** The commit that first added it, when history was scanned. */
  addedIn?: { commit: string; date: string };
}

export interface SecretsScan {
  available: true;
  repo: string;
  /** Shallow clone: the history scan stops at the graft, older commits were not scanned. */
  shallow: boolean;
  tree: { files: number; bytes: number; binaries: number; skipped: SkippedFile[] };
  history: {
    commits: number; bytes: number; reusedDiffs: number; binaryBlobs: number; skippedBlobs: number;
    /** Set when git could not stream the history: what was scanned before still counts, the rest is unknown. */
    error?: string;
  };
  matches: SecretMatch[];
  /** Matches suppressed by an inline `launch-ready-allow` comment. */
  allowedInline: number;
  /** Distinct secrets beyond the cap of records kept. */
  overflow?: number;
  sensitiveFiles: SensitiveFile[];
}

export type SecretsFacts = SecretsScan | { available: false; reason: string };
