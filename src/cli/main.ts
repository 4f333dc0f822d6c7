// The command line: commander wiring only. Each action lazily loads what it needs, so start-up stays fast.
import { Argument, Command, CommanderError, Option } from 'commander';
import type { AuditFlags, BudgetFlags, LoadFlags, MapFlags, SpfFlags, WatchFlags } from '../run/flags.js';
import { TOOL } from '../run/tool.js';
import { SEVERITIES } from '../types.js';
import { EXIT, EXIT_HELP } from './exit-codes.js';
import { count, decimal, domains as domainArgs, duration, instant, nonEmpty, percent, span } from './values.js';
import type { Streams } from './output.js';


function list(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];
}

function repeat(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The options of every command that talks to the network: where DNS goes, connection overrides, trust, deadlines. */
function addNetworkOptions(cmd: Command, timeoutHelp = 'deadline for each network step (default 5000)'): Command {
  return cmd
    .option('--resolver <ip[:port]>', 'send every DNS query to this server (default: the system\'s nameservers)', nonEmpty('--resolver'))
    .option('--connect-to <HOST1:PORT1:HOST2:PORT2>', 'connect to HOST2:PORT2 instead of HOST1:PORT1, for every connection of the run, DNS servers included (repeatable)', repeat, [])
    .option('--ca <file>', 'PEM file of extra CA certificates to trust (a private CA), on top of Node\'s trust store')
    .option('--timeout <duration>', timeoutHelp, duration('--timeout', { max: 120_000 }));
}

/** What every command that runs the checks takes: config, selection, repository, bounds. */
function addRunOptions(cmd: Command): Command {
  return addNetworkOptions(cmd)
    .option('-c, --config <file>', 'config file (default: ./launch-ready.config.json when present)')
    .option('--only <list>', 'run only these areas or check ids (comma-separated)', list, [])
    .option('--skip <list>', 'skip these areas or check ids (comma-separated)', list, [])
    .option('--repo <dir>', 'the git repository to scan')
    .option('--concurrency <n>', 'network operations (DNS queries, connections) in flight at once', count('--concurrency', { max: 1024 }), 64)
    .option('--deadline <duration>', 'the whole run always ends by then (ms, or with a unit: 90s, 5m)', duration('--deadline', { max: 86_400_000 }), 120_000)
    .option('-q, --quiet', 'no progress or log lines on stderr; the report only');
}

/** Subdomain discovery, for every command that looks at a domain's hosts. */
function addDiscoverOptions(cmd: Command): Command {
  return cmd
    .option('--no-discover', 'audit only the listed and standard hosts: no subdomain discovery (wordlist, zone data, certificates, pages, repository, zone transfer)')
    .option('--wordlist <file>', 'extra host labels for discovery, one a line (added to the built-in list)')
    .option('--discover-online', 'discovery asks online sources too (certificate transparency search at crt.sh, or discover.ctUrl): off by default, it tells a third party which domain you audit');
}

function addAuditOptions(cmd: Command): Command {
  return addDiscoverOptions(addRunOptions(cmd))
    .option('-f, --format <formats>', 'report formats, comma-separated: table, json, sarif, junit, markdown, html', 'table')
    .option('-o, --output <file>', 'write the report to a file instead of stdout; with several formats: <format>=<file> (repeatable)', repeat, [])
    .option('--output-dir <dir>', 'write each format (not named by --output <format>=<file>) to <dir>/launch-ready.<ext>')
    .option('--baseline <report.json>', 'findings already in this earlier JSON report are listed as known and do not count toward the verdict')
    .option('--save-facts <dir>', 'record what the collectors saw to <dir>/facts.json')
    .option('--from-facts <dir>', 'run the checks on recorded facts instead of the network (offline, reproducible)')
    .addOption(new Option('--fail-on <severity>', 'lowest severity that makes the verdict NO-GO (default high)').choices([...SEVERITIES]))
    .option('--no-color', 'no colours (NO_COLOR and FORCE_COLOR are honoured too)');
}

export function buildProgram(streams: Streams, cwd: string, setExit: (code: number) => void): Command {
  const program = new Command('launch-ready')
    .description('Audits a product\'s backend before launch and prints a ranked risk list with a go/no-go verdict.')
    .version(TOOL.version, '-V, --version')
    .addHelpText('after', `\n${EXIT_HELP}\n`)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => streams.stdout.write(s),
      writeErr: (s) => streams.stderr.write(s),
    });

  addAuditOptions(
    program
      .command('audit')
      .description('audit one or more domains (apex, www, api, admin, app by default) and print the verdict')
      .argument('[domains...]', 'domains to audit (default: the config\'s domains)'),
  )
    .option('--load', 'also load-test the critical endpoints (step ramp; opt-in, see `launch-ready load --help`)')
    .option('--confirm-load <host>', 'with --load: allow load against this non-loopback host, which you own (repeatable)', repeat, [])
    .option('--max-concurrency <n>', 'with --load: highest concurrency step (default 64, hard cap 1024)', count('--max-concurrency', { max: 1024 }))
    .option('--step-duration <s>', 'with --load: seconds per step (default 5, hard cap 60)', decimal('--step-duration', { min: 0.1, max: 60 }))
    .addHelpText('after', `\n${EXIT_HELP}\n`)
    .action(async (domains: string[], flags: AuditFlags) => {
      const { auditCommand } = await import('./audit.js');
      setExit(await auditCommand(domainArgs(domains), flags, streams, cwd));
    });

  program
    .command('checks')
    .description('list every check: id, area, severity, title')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (flags: { format: string }) => {
      const { checksCommand } = await import('./checks.js');
      setExit(await checksCommand(flags, streams));
    });

  program
    .command('init')
    .description('write a commented starter config (launch-ready.config.json)')
    .argument('[domain]', 'your product\'s domain', 'example.com')
    .option('-o, --output <file>', 'where to write it', 'launch-ready.config.json')
    .option('--force', 'overwrite an existing file')
    .action(async (domain: string, flags: { output: string; force?: boolean }) => {
      const { initCommand } = await import('./init.js');
      setExit(await initCommand(domain, flags, streams, cwd));
    });

  program
    .command('schema')
    .description('print the JSON Schema of the config file or of the JSON report')
    .addArgument(new Argument('<which>', 'config or report').choices(['config', 'report']))
    .action(async (which: 'config' | 'report') => {
      const { schemaCommand } = await import('./schema.js');
      setExit(await schemaCommand(which, streams));
    });

  program
    .command('diff')
    .description('compare two JSON reports: new, fixed and changed findings, latency before → after, verdict change (exit 1 on new blocking findings)')
    .argument('<before>', 'the earlier JSON report')
    .argument('<after>', 'the later JSON report')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .action(async (before: string, after: string, flags: { format: string }) => {
      const { diffCommand } = await import('./diff.js');
      setExit(await diffCommand(before, after, flags, streams, cwd));
    });

  addDiscoverOptions(addRunOptions(
    program
      .command('handover')
      .description('write the handover document (Markdown): map, vendors, env vars, secrets to rotate, monitoring, risks, rollback, next fixes')
      .argument('[domains...]', 'domains (default: the config\'s domains)')
      .option('-o, --output <file>', 'write the document to this file instead of stdout'),
  )).action(async (domains: string[], flags: AuditFlags) => {
    const { handoverCommand } = await import('./handover.js');
    setExit(await handoverCommand(domainArgs(domains), flags, streams, cwd));
  });

  addDiscoverOptions(addNetworkOptions(program
    .command('map')
    .description('the deployment map: domains, hosts, addresses, CNAME targets, providers, certificates, environments, owners')
    .argument('[domains...]', 'domains to map (default: the config\'s domains)')
    .option('-c, --config <file>', 'config file (default: ./launch-ready.config.json when present)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))))
    .action(async (domains: string[], flags: MapFlags) => {
      const { mapCommand } = await import('./map.js');
      setExit(await mapCommand(domainArgs(domains), flags, streams, cwd));
    });

  addNetworkOptions(program
    .command('watch')
    .description('check endpoints, DNS and certificates every N seconds; alert after K failures in a row, announce recovery')
    .argument('[domains...]', 'domains to watch (default: the config\'s domains)')
    .option('-c, --config <file>', 'config file (default: ./launch-ready.config.json when present)')
    .option('--interval <seconds>', 'seconds between checks (default 60)', decimal('--interval', { min: 0.05, max: 86_400 }))
    .option('--failures <k>', 'failures in a row before an alert (default 3)', count('--failures', { max: 100 }))
    .option('--webhook <url>', 'Slack-compatible webhook for alerts and recoveries')
    .option('--exec <command>', 'command to run on alert and recovery (LR_WATCH_STATUS, LR_WATCH_PROBE, LR_WATCH_DETAIL set)')
    .option('--cert-warn-days <days>', 'a certificate closer to expiry than this is failing (default 14)', count('--cert-warn-days', { min: 0, max: 365 }))
    .option('--rounds <n>', 'stop after n rounds (default: until Ctrl-C)', count('--rounds', { max: 1_000_000 }))
    .option('--history <file>', 'append one JSON line per probe here (default .launch-ready/history.jsonl next to the config)')
    .option('--no-history', 'keep no history')
    .option('-q, --quiet', 'status changes only'), 'deadline for each check (default 5000)')
    .action(async (domains: string[], flags: WatchFlags) => {
      const { watchCommand } = await import('./watch.js');
      setExit(await watchCommand(domainArgs(domains), flags, streams, cwd));
    });

  program
    .command('budget')
    .description('the error budget from the watch history: availability, budget left, burn rates, incidents and latency per monitor (exit 1 when a budget is spent)')
    .option('-c, --config <file>', 'config file (its folder holds the default history)')
    .option('--history <file>', 'the watch history (default .launch-ready/history.jsonl next to the config)')
    .option('--slo <percent>', 'availability objective', percent('--slo'), 99.9)
    .option('--window <span>', 'how far back: 90m, 24h, 30d, 4w', span('--window', { max: 400 * 86_400_000 }), 30 * 86_400_000)
    .option('--until <time>', 'end of the window, ISO 8601 (default now)', instant('--until'))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'html']).default('table'))
    .addHelpText('after', '\nExit codes: 0 every monitor within its budget, 1 a monitor spent its budget, 2 bad usage or a missing, empty or damaged history, 4 launch-ready failed.\n')
    .action(async (flags: BudgetFlags) => {
      const { budgetCommand } = await import('./budget.js');
      setExit(await budgetCommand(flags, streams, cwd));
    });

  program
    .command('demo')
    .description('audit a built-in sandbox of a small fictional product, offline, and print the report')
    .addOption(new Option('-f, --format <format>', 'report format').choices(['table', 'json']).default('table'))
    .option('--no-color', 'no colours')
    .option('-q, --quiet', 'no progress on stderr')
    .action(async (flags: { format: string; color?: boolean; quiet?: boolean }) => {
      const { demoCommand } = await import('./demo.js');
      setExit(await demoCommand(flags, streams));
    });

  addNetworkOptions(program
    .command('load')
    .description('opt-in load test: ramp concurrency 1, 2, 4, ... against the critical endpoints and report the known safe concurrency')
    .option('-c, --config <file>', 'config file (default: ./launch-ready.config.json when present)')
    .option('--endpoint <name>', 'endpoint to ramp (repeatable; default: the endpoints marked critical)', repeat, [])
    .option('--flow <name>', 'flow to ramp as virtual users, each running its steps in order again and again (repeatable; default: the flows marked critical)', repeat, [])
    .option('--max-concurrency <n>', 'highest concurrency step (default 64, hard cap 1024)', count('--max-concurrency', { max: 1024 }))
    .option('--step-duration <s>', 'seconds per step (default 5, hard cap 60)', decimal('--step-duration', { min: 0.1, max: 60 }))
    .option('--max-requests <n>', 'cap on requests over the whole run (hard cap 1,000,000)', count('--max-requests', { max: 1_000_000 }))
    .option('--confirm-load <host>', 'allow load against this non-loopback host, which you own (repeatable)', repeat, [])
    .option('--export <tool>', 'write the same ramp and thresholds as a script instead of running it (k6)')
    .option('-o, --output <file>', 'where --export writes the script (default stdout)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('-q, --quiet', 'no progress on stderr'))
    .addHelpText('after', '\nExit codes: 0 measured, 1 an endpoint or flow fails even at concurrency 1, 2 bad usage, 3 not measured to the end (interrupted, or a cap cut the ramp before a full step; partial figures printed), 4 launch-ready failed.\n')
    .action(async (flags: LoadFlags) => {
      const { loadCommand } = await import('./load.js');
      setExit(await loadCommand(flags, streams, cwd));
    });

  program
    .command('spf')
    .description('evaluate SPF (RFC 7208 check_host) for a sender IP against a domain, with the trace of every term and lookup')
    .argument('[domain]', 'the domain whose SPF policy is evaluated (default: the --sender domain, else the --helo name)')
    .requiredOption('--ip <addr>', 'the sending client\'s IPv4 or IPv6 address')
    .option('--sender <mailfrom>', 'the MAIL FROM address (default postmaster@<domain>)')
    .option('--helo <name>', 'the HELO/EHLO name (for %{h}, and the identity when --sender is empty)')
    .option('--resolver <ip[:port]>', 'send every DNS query to this server (default: the system\'s nameservers)', nonEmpty('--resolver'))
    .option('--connect-to <HOST1:PORT1:HOST2:PORT2>', 'connect to HOST2:PORT2 instead of HOST1:PORT1 (repeatable)', repeat, [])
    .option('--timeout <duration>', 'deadline for each DNS lookup (default 5000)', duration('--timeout', { max: 120_000 }))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addHelpText('after', '\nA malformed domain taken from --sender or --helo evaluates to "none" (RFC 7208 4.3). With --format json, errors print as JSON too ({"error": ..., "exitCode": ...}).\nExit codes: 0 evaluated (whatever the SPF result), 2 bad usage, 4 launch-ready failed.\n')
    .action(async (domain: string | undefined, flags: SpfFlags) => {
      const { spfCommand } = await import('./spf.js');
      setExit(await spfCommand(domain, { ...flags, ...(flags.sender === undefined && domain !== undefined ? { sender: `postmaster@${domain}` } : {}) }, streams));
    });

  return program;
}

/** Runs the CLI and resolves to the exit code; never throws. */
export async function main(argv: readonly string[], streams: Streams, cwd: string): Promise<number> {
  let code: number = EXIT.go;
  const program = buildProgram(streams, cwd, (c) => { code = c; });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.go;
      if (err.code === 'launch-ready.invalidArgument') streams.stderr.write(`error: ${err.message}\n`);
      const spf = await import('./spf.js');
      if (spf.spfWantsJson(argv)) spf.writeJsonError(streams, err.message, EXIT.usage);
      return EXIT.usage;
    }
    const { reportError } = await import('./errors.js');
    return reportError(err, streams);
  }
}
