// The history on disk: whole lines, rotation by size into a bounded set of files read back oldest first, and a
// line torn by a crash cut off before the next append so earlier lines stay intact.
import { appendFileSync, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryWriter, readHistoryFiles } from '../../src/collect/history.js';
import { parseHistory, serialize, type HistoryRecord } from '../../src/watch/history.js';

const rec = (i: number): HistoryRecord => ({ time: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(), monitor: 'http:api', kind: 'http', target: 'https://api.example.test/', up: i % 7 !== 0, latencyMs: i });

describe('HistoryWriter', () => {
  it('rotates by size, keeps a bounded number of files, and the reader returns the newest lines in order', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lr-history-')), 'h.jsonl');
    const lineBytes = serialize([rec(100)]).length;
    const w = new HistoryWriter(file, { rotateBytes: lineBytes * 10, keep: 3 });
    for (let i = 100; i < 300; i += 2) await w.append([rec(i), rec(i + 1)]);
    expect(existsSync(`${file}.3`)).toBe(true);
    expect(existsSync(`${file}.4`)).toBe(false);
    for (const f of [file, `${file}.1`, `${file}.2`, `${file}.3`]) expect(statSync(f).size).toBeLessThanOrEqual(lineBytes * 10);
    const files = await readHistoryFiles(file, 3);
    expect(files.map((f) => f.file)).toEqual([`${file}.3`, `${file}.2`, `${file}.1`, file]);
    const latencies = files.flatMap((f) => parseHistory(f.text).records.map((r) => r.latencyMs));
    expect(latencies.at(-1)).toBe(299);
    // Contiguous and ordered: nothing lost or repeated inside what is kept.
    expect(latencies).toEqual(Array.from({ length: latencies.length }, (_, i) => 300 - latencies.length + i));
    expect(latencies.length).toBeGreaterThanOrEqual(30);
  });

  it('a line torn by a crash is cut before the next append; every earlier line survives', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lr-history-')), 'nested', 'h.jsonl');
    await new HistoryWriter(file).append([rec(1), rec(2)]);
    appendFileSync(file, '{"time":"2026-01-01T00:03:00.000Z","monitor":"htt');
    expect(parseHistory(readFileSync(file, 'utf8'))).toMatchObject({ tornTail: true, records: [rec(1), rec(2)] });
    // A new watch after the crash.
    await new HistoryWriter(file).append([rec(4)]);
    expect(parseHistory(readFileSync(file, 'utf8'))).toEqual({ tornTail: false, records: [rec(1), rec(2), rec(4)] });
  });
});
