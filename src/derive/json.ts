// Reading parsed JSON/YAML of unknown shape without type assertions: narrow, or fall back to a neutral value.

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The object, or an empty one for anything else. */
export function asObject(v: unknown): JsonObject {
  return isObject(v) ? v : {};
}

/** A finite number, else the fallback. */
export function numberOr(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** A string, else undefined. */
export function stringOf(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
