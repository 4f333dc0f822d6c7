// The front door of `demo`: starts the embedded loopback sandbox of a fictional product and describes the audit
// of it (config and network flags), so the command line runs it like any other audit.
import { validateConfig, type LoadedConfig } from '../config/load.js';
import { Redactor } from '../redact.js';
import { startDemoSandbox } from '../sandbox/demo.js';
import type { AuditFlags } from './flags.js';

export interface Demo {
  domain: string;
  launchDate: string;
  /** The sandbox's DNS server, as --resolver takes it. */
  resolver: string;
  loaded: LoadedConfig;
  flags: AuditFlags;
  close: () => Promise<void>;
}

export async function startDemo(opts: { format: string; color?: boolean; quiet?: boolean }): Promise<Demo> {
  const sandbox = await startDemoSandbox();
  const config = validateConfig({
    project: 'PawPost (demo)',
    launchDate: sandbox.launchDate,
    domains: [{ name: sandbox.domain, hosts: ['www', 'api', 'admin', 'app'], expect: { api: { A: ['127.0.0.2'] } } }],
  });
  return {
    domain: sandbox.domain,
    launchDate: sandbox.launchDate,
    resolver: sandbox.resolver,
    loaded: { config, redactor: new Redactor() },
    flags: {
      format: opts.format, only: [], skip: [], connectTo: sandbox.connectTo, resolver: sandbox.resolver, ca: sandbox.ca,
      timeout: 2000, concurrency: 64, deadline: 30_000, ...(opts.color === false ? { color: false } : {}), ...(opts.quiet ? { quiet: true } : {}),
    },
    close: () => sandbox.close(),
  };
}
