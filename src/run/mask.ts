// Masking of the whole report before any renderer sees it: the config's ${env:...} values, the configured canaries
// and every value a secrets rule matches are masked in every string of every finding, check detail and measurement.
import { maskSecret, type Redactor } from '../redact.js';
import { SecretScanner } from '../secrets/engine.js';

export type Mask = (text: string) => string;

/** Fields that name things rather than carry observed text: masking them would only break ids and matching. */
const STRUCTURAL = new Set(['id', 'checkId', 'area', 'code', 'severity', 'impact', 'status', 'fingerprint', 'fingerprints']);

let scanner: SecretScanner | undefined;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function maskerFor(opts: { canaries: readonly string[]; redactor?: Redactor }): Mask {
  const canaries = [...new Set(opts.canaries)].filter((c) => c.length >= 4).sort((a, b) => b.length - a.length)
    .map((c) => ({ re: new RegExp(escapeRegExp(c), 'gi'), masked: maskSecret(c) }));
  scanner ??= new SecretScanner();
  const secrets = scanner;
  return (text) => {
    let out = opts.redactor ? opts.redactor.redact(text) : text;
    for (const c of canaries) out = out.replace(c.re, c.masked);
    // Later hits first, so earlier offsets stay right while replacing.
    const hits = secrets.scan(out, 'launch-ready-report').sort((a, b) => b.index - a.index);
    for (const h of hits) out = `${out.slice(0, h.index)}${h.masked}${out.slice(h.index + h.length)}`;
    return out;
  };
}

/** A copy of a JSON-like value with every string masked (structural fields kept as they are). */
export function maskDeep<T>(value: T, mask: Mask): T {
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return key !== undefined && STRUCTURAL.has(key) ? v : mask(v);
    if (Array.isArray(v)) return v.map((x) => walk(x, key === 'fingerprints' ? key : undefined));
    if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    }
    return v;
  };
  return walk(value) as T;
}
