// Command-line values, parsed once with the config's ranges: durations, counts and domains. A bad value is a usage
// error (exit 2) naming the flag, never a silently clamped or overflowing number.
import { CommanderError } from 'commander';
import { normalizeDomain } from '../config/domain.js';
import { EXIT } from './exit-codes.js';

function invalid(message: string): never {
  throw new CommanderError(EXIT.usage, 'launch-ready.invalidArgument', message);
}

const UNITS: Record<string, number> = { '': 1, ms: 1, s: 1000, m: 60_000 };

/**
 * A duration in milliseconds: whole milliseconds (`1500`), or a number with a unit (`1500ms`, `1.5s`, `2m`).
 * Node timers overflow past 2^31-1 ms, so every duration has an upper bound.
 */
export function duration(flag: string, range: { min?: number; max: number }) {
  return (value: string): number => {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
    if (!m || (m[2] === undefined && m[1]!.includes('.'))) {
      invalid(`${flag} must be a duration: whole milliseconds (1500) or a number with a unit (1500ms, 1.5s, 2m), got "${value}"`);
    }
    const ms = Math.round(Number(m[1]) * UNITS[m[2] ?? '']!);
    const min = range.min ?? 1;
    if (ms < min || ms > range.max) invalid(`${flag} must be between ${min} ms and ${range.max} ms, got "${value}"`);
    return ms;
  };
}

/** A whole number within a range (plain digits: no exponent, no fraction). */
export function count(flag: string, range: { min?: number; max: number }) {
  return (value: string): number => {
    const min = range.min ?? 1;
    if (!/^\d+$/.test(value.trim())) invalid(`${flag} must be a whole number from ${min} to ${range.max}, got "${value}"`);
    const n = Number(value.trim());
    if (n < min || n > range.max) invalid(`${flag} must be a whole number from ${min} to ${range.max}, got "${value}"`);
    return n;
  };
}

/** A positive decimal within a range (seconds of an interval or a step). */
export function decimal(flag: string, range: { min: number; max: number }) {
  return (value: string): number => {
    if (!/^\d+(?:\.\d+)?$/.test(value.trim())) invalid(`${flag} must be a number from ${range.min} to ${range.max}, got "${value}"`);
    const n = Number(value.trim());
    if (n < range.min || n > range.max) invalid(`${flag} must be a number from ${range.min} to ${range.max}, got "${value}"`);
    return n;
  };
}

/** A non-empty value (an empty --resolver must not fall back to the system resolver). */
export function nonEmpty(flag: string) {
  return (value: string): string => {
    if (value.trim() === '') invalid(`${flag} needs a value (got an empty string)`);
    return value.trim();
  };
}

/** Domain arguments with the config's rule; IDNs become punycode. */
export function domains(values: readonly string[]): string[] {
  return values.map((v) => {
    const r = normalizeDomain(v);
    if ('problem' in r) invalid(`domain argument: ${r.problem}`);
    return r.name;
  });
}

const SPAN_UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** A window of time with a unit (`90m`, `24h`, `30d`, `4w`), in milliseconds. */
export function span(flag: string, range: { max: number }) {
  return (value: string): number => {
    const m = /^(\d+)(m|h|d|w)$/.exec(value.trim());
    if (!m) invalid(`${flag} must be a whole number with a unit (90m, 24h, 30d, 4w), got "${value}"`);
    const ms = Number(m[1]) * SPAN_UNITS[m[2]!]!;
    if (ms < 60_000 || ms > range.max) invalid(`${flag} must be between 1m and ${range.max / 86_400_000}d, got "${value}"`);
    return ms;
  };
}

/** A percentage strictly between 0 and 100 (an SLO: 100% leaves no budget to measure). */
export function percent(flag: string) {
  return (value: string): number => {
    const n = Number(value.trim());
    if (!/^\d+(?:\.\d+)?$/.test(value.trim()) || !(n > 0 && n < 100)) invalid(`${flag} must be a percentage above 0 and below 100 (e.g. 99.9), got "${value}"`);
    return n;
  };
}

/** An ISO 8601 instant (`2026-06-01T00:00:00Z`), in ms since the epoch. */
export function instant(flag: string) {
  return (value: string): number => {
    const t = Date.parse(value.trim());
    if (!/^\d{4}-\d{2}-\d{2}/.test(value.trim()) || Number.isNaN(t)) invalid(`${flag} must be an ISO date or time such as 2026-06-01T00:00:00Z, got "${value}"`);
    return t;
  };
}
