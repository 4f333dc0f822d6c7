// Microsecond latency recording in an HDR histogram (3 significant digits, 1 µs to 1 h), read back in milliseconds.
import * as hdr from 'hdr-histogram-js';

const HIGHEST_US = 3_600_000_000;

export class LatencyHistogram {
  private readonly h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 3, autoResize: false });

  /** Records one sample given in milliseconds (performance.now() differences); kept at microsecond resolution. */
  recordMs(ms: number): void {
    this.h.recordValue(Math.min(HIGHEST_US, Math.max(1, Math.round(ms * 1000))));
  }

  get count(): number {
    return this.h.totalCount;
  }

  /** The value at a percentile (0..100), in ms with 3 decimals; null when empty. */
  percentileMs(p: number): number | null {
    if (this.h.totalCount === 0) return null;
    // HDR reports the top of the value's bucket; never report a percentile above the largest sample.
    return toMs(Math.min(this.h.getValueAtPercentile(p), this.h.maxValue));
  }

  maxMs(): number | null {
    return this.h.totalCount === 0 ? null : toMs(this.h.maxValue);
  }

  minMs(): number | null {
    return this.h.totalCount === 0 ? null : toMs(this.h.minNonZeroValue);
  }

  /** Adds another histogram's samples (load steps merge their workers' recordings). */
  add(other: LatencyHistogram): void {
    this.h.add(other.h);
  }

  destroy(): void {
    this.h.destroy();
  }
}

export function toMs(us: number): number {
  return Math.round(us) / 1000;
}

/** Median of plain numbers (per-phase splits, where a histogram would be overkill). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
