// `launch-ready load`: the opt-in, bounded step ramp against critical endpoints, printing the known safe
// concurrency and bottleneck notes; or `--export k6` to write the same ramp as a k6 script. Refuses any
// non-loopback target not confirmed by name. Ctrl-C stops the ramp and still prints what was measured.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { flowStepLine, renderLoadTable, stepLine } from '../report/load.js';
import type { LoadFlags } from '../run/flags.js';
import { exportLoadScript, runLoadTest } from '../run/load.js';
import { reportError } from './errors.js';
import { EXIT } from './exit-codes.js';
import type { Streams } from './output.js';

export type { LoadFlags };

export interface LoadHooks {
  /** Resolves when the ramp should stop (SIGINT by default). */
  stop?: Promise<void>;
}

export async function loadCommand(flags: LoadFlags, streams: Streams, cwd: string, hooks: LoadHooks = {}): Promise<number> {
  let loaded: LoadedConfig | undefined;
  let onSigint: (() => void) | undefined;
  try {
    if (flags.format !== 'table' && flags.format !== 'json') throw new UsageError(`--format ${flags.format}: choose table or json`);
    if (flags.export !== undefined && flags.export !== 'k6') throw new UsageError(`--export ${flags.export}: only k6 is supported`);
    loaded = await loadConfig({ ...(flags.config ? { file: flags.config } : {}), cwd, env: streams.env });
    const redact = (text: string) => loaded!.redactor.redact(text);

    if (flags.export) {
      const script = await exportLoadScript(loaded, flags);
      if (flags.output) {
        const file = resolve(cwd, flags.output);
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, script);
        if (!flags.quiet) streams.stderr.write(`k6 script written to ${flags.output}: run it with k6 run ${flags.output}\n`);
      } else {
        streams.stdout.write(script);
      }
      return EXIT.go;
    }

    const stop = hooks.stop ?? new Promise<void>((res) => { onSigint = () => res(); process.once('SIGINT', onSigint); });
    const say = (line: string) => { if (!flags.quiet) streams.stderr.write(`${redact(line)}\n`); };
    const result = await runLoadTest({
      loaded, flags, cwd, stop,
      onStart: (endpoints, o, flows) => say(`launch-ready load: ${[...endpoints.map((e) => e.name), ...flows.map((f) => `flow ${f.name}`)].join(', ')}: concurrency 1 to ${o.maxConcurrency}, ${o.stepDurationSec} s per step. Ctrl-C stops and prints what was measured.`),
      onStep: (name, s) => say(`${name}: ${stepLine(s).trim()}`),
      onFlowStep: (name, s) => say(`flow ${name}: ${flowStepLine(s).trim()}`),
    });
    streams.stdout.write(redact(flags.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderLoadTable(result)));
    // Unsafe is a full step that failed at concurrency 1; a ramp cut before any full step (interrupted, a request
    // cap) knows nothing yet, which is incomplete, not a failure.
    const ramps = [...result.endpoints, ...(result.flows ?? [])];
    if (ramps.some((e) => e.safeConcurrency === null && e.brokeAt)) return EXIT.noGo;
    if (result.interrupted || ramps.some((e) => e.safeConcurrency === null)) return EXIT.incomplete;
    return EXIT.go;
  } catch (err) {
    return reportError(err, streams, loaded?.redactor);
  } finally {
    if (onSigint) process.removeListener('SIGINT', onSigint);
  }
}
