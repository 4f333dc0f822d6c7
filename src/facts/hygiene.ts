// Hygiene facts: dev URLs, the mobile app's API base URL candidates and the environment variable inventory.

/** Repository options from the config (`repo` section) that the repository checks read. */
export interface RepoOptions {
  /** The production API's base URL or host the mobile app must use. */
  apiUrl?: string;
  /** Staging/dev host names that must not ship in production code. */
  stagingHosts?: string[];
}

export interface UrlOccurrence {
  url: string;
  host: string;
  file: string;
  line: number;
  /** The file is production configuration (.env.production, app.json, Info.plist, a release build config...). */
  productionConfig: boolean;
}

export interface BaseUrlCandidate {
  /** The setting's name (EXPO_PUBLIC_API_URL, apiUrl, API_BASE_URL...). */
  name: string;
  value: string;
  file: string;
  line: number;
  /** production: used by release builds; development: a debug/dev-only setting; default: used unless overridden. */
  context: 'production' | 'development' | 'default';
}

export interface EnvRead {
  name: string;
  file: string;
  line: number;
  /** How many places read it. */
  reads: number;
}

export interface HygieneScan {
  available: true;
  repo: string;
  files: number;
  /** URLs with a non-public host (loopback, private, .local, tunnels, configured staging hosts). */
  devUrls: UrlOccurrence[];
  mobile: { platforms: string[]; baseUrls: BaseUrlCandidate[] };
  env: {
    reads: EnvRead[];
    /** .env.example and similar files, and the names they list. */
    exampleFiles: string[];
    documented: string[];
    /** Names the code reads that README/docs pages mention: documented there instead. */
    mentionedInDocs: string[];
    docFiles: string[];
  };
}

export type HygieneFacts = HygieneScan | { available: false; reason: string };
