// The options the commands hand to the front door, as plain data: the CLI parses them, src/run acts on them.

/** Where DNS goes, connection overrides, trust and per-step deadlines: every command that talks to the network. */
export interface NetworkFlags {
  resolver?: string;
  connectTo: string[];
  timeout?: number;
  /** PEM file of extra trusted CA certificates. */
  ca?: string;
}

/** Subdomain discovery: commander's --no-discover sets discover to false; --wordlist adds labels. */
export interface DiscoverFlags {
  discover?: boolean;
  wordlist?: string;
  /** --discover-online: ask online sources (certificate transparency) too. */
  discoverOnline?: boolean;
}

export interface AuditFlags extends NetworkFlags, DiscoverFlags {
  config?: string;
  format: string;
  output?: string | string[];
  outputDir?: string;
  baseline?: string;
  saveFacts?: string;
  fromFacts?: string;
  only: string[];
  skip: string[];
  repo?: string;
  concurrency: number;
  deadline: number;
  failOn?: string;
  color?: boolean;
  quiet?: boolean;
  /** audit --load: also ramp the critical endpoints (opt-in). */
  load?: boolean;
  confirmLoad?: string[];
  maxConcurrency?: number;
  stepDuration?: number;
}

export interface LoadFlags extends NetworkFlags {
  config?: string;
  endpoint: string[];
  /** Flows to ramp as virtual users (default: with no --endpoint either, the flows marked critical). */
  flow?: string[];
  maxConcurrency?: number;
  stepDuration?: number;
  maxRequests?: number;
  format: string;
  confirmLoad: string[];
  export?: string;
  output?: string;
  quiet?: boolean;
}

export interface WatchFlags extends NetworkFlags {
  config?: string;
  interval?: number;
  failures?: number;
  webhook?: string;
  exec?: string;
  rounds?: number;
  certWarnDays?: number;
  /** Where each probe is appended; false: --no-history. Default .launch-ready/history.jsonl next to the config. */
  history?: string | false;
  quiet?: boolean;
}

export interface BudgetFlags {
  config?: string;
  history?: string;
  /** Percent, e.g. 99.9. */
  slo: number;
  /** Milliseconds. */
  window: number;
  /** End of the window (ms since the epoch); default now. */
  until?: number;
  format: string;
}

export interface MapFlags extends NetworkFlags, DiscoverFlags {
  config?: string;
  format: string;
}

export interface SpfFlags {
  ip: string;
  sender?: string;
  helo?: string;
  resolver?: string;
  connectTo: string[];
  timeout?: number;
  format: string;
}
