// Terminal plumbing for the commands: colour decision, stderr logging and the live progress line.
import type { WriteStream } from 'node:tty';

export interface Streams {
  stdout: NodeJS.WritableStream & Partial<Pick<WriteStream, 'isTTY' | 'columns'>>;
  stderr: NodeJS.WritableStream & Partial<Pick<WriteStream, 'isTTY' | 'columns'>>;
  env: NodeJS.ProcessEnv;
}

/** NO_COLOR wins over everything except an explicit FORCE_COLOR; --no-color always wins. */
export function useColor(stream: Streams['stdout'], env: NodeJS.ProcessEnv, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

/** Live progress only for a person watching: stderr is a TTY and we are not in CI. */
export function wantsProgress(streams: Streams, quiet: boolean): boolean {
  return !quiet && Boolean(streams.stderr.isTTY) && !streams.env.CI;
}

export class Progress {
  private last = '';
  constructor(private readonly stream: Streams['stderr'], private readonly enabled: boolean) {}

  update(text: string): void {
    if (!this.enabled || text === this.last) return;
    this.last = text;
    const width = (this.stream.columns ?? 80) - 1;
    this.stream.write(`\r\x1b[2K${text.slice(0, width)}`);
  }

  clear(): void {
    if (this.enabled && this.last) this.stream.write('\r\x1b[2K');
    this.last = '';
  }
}
