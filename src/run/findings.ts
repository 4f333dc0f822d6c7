// One finding per problem: findings of the same check code on the same host, assistant, flow or secret become one
// finding listing every place (occurrences), with a fingerprint that only depends on what groups them.
import { createHash } from 'node:crypto';
import type { RawFinding } from '../checks/define.js';
import { locationKey, severityWeight } from '../rank/index.js';
import type { Finding, Location, Occurrence } from '../types.js';

/** A finding before ranking. */
export type Unranked = Omit<Finding, 'rank'>;

/** What the run keeps next to each single-place finding until it groups them. */
export interface GroupMeta {
  /** What makes two findings of the same check code one problem. */
  group: string;
  /** Finding ids this one explains on the same host (from the message spec). */
  supersedes: readonly string[];
}

/** Separates a `subject › part` record (an assistant's case, a flow's step) into its two halves. */
const SUBJECT = /^(.+?) › (.+)$/;

function hostOfUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

export function hostOf(l: Location): string | undefined {
  return l.host?.toLowerCase() ?? hostOfUrl(l.url);
}

/**
 * The text a single place's fingerprint hashes: the identity, else the location. This is the fingerprint every
 * report had before grouping, so it stays what baselines written then match.
 */
export function placeFingerprint(checkId: string, code: string, location: Location, identity?: string): string {
  return hash(checkId, code, identity ?? locationKey({ location }));
}

function hash(checkId: string, code: string, key: string): string {
  return createHash('sha256').update(`${checkId}\0${code}\0${key}`).digest('hex').slice(0, 16);
}

/**
 * The group of a raw finding. Without a group, identity or shared subject, the key is the place itself, so such a
 * finding keeps exactly the fingerprint it had before grouping existed.
 */
export function groupOf(r: Pick<RawFinding, 'group' | 'identity' | 'location'>): string {
  const l = r.location ?? {};
  // Verbatim: a check that names the group of places it used to report as one (a secret's identity) keeps its fingerprint.
  if (r.group !== undefined) return r.group;
  const subject = l.record ? SUBJECT.exec(l.record) : null;
  if (subject) return `subject ${subject[1]}`;
  // A place that names its host (a host's schemes, probe paths, sibling files) groups by it. A place that is only a
  // URL is an endpoint: two slow endpoints of one API are two problems with two causes, not one.
  const host = l.host?.toLowerCase();
  if (host) return `host ${host}`;
  return r.identity ?? locationKey({ location: l });
}

export function groupFingerprint(checkId: string, code: string, group: string): string {
  return hash(checkId, code, group);
}

/** The single place of a freshly reported finding. */
export function occurrenceOf(location: Location, message: string, fingerprint: string, evidence?: string): Occurrence {
  const subject = location.record ? SUBJECT.exec(location.record) : null;
  return {
    ...location,
    ...(subject ? { case: subject[2]! } : {}),
    message,
    ...(evidence !== undefined ? { evidence } : {}),
    fingerprint,
  };
}

/** How a place is named in a grouped message: its case or step, URL, file:line, record or host. */
export function placeLabel(o: Occurrence): string {
  if (o.case) return o.case;
  if (o.url) return o.url;
  if (o.file) return `${o.file}${o.line !== undefined ? `:${o.line}` : ''}${o.commit ? ` (${o.commit.slice(0, 7)})` : ''}`;
  if (o.commit) return `commit ${o.commit.slice(0, 7)}`;
  return o.record ?? o.host ?? '-';
}

/** Places named in a grouped message besides the first; the rest are counted. */
const NAMED = 3;

// Code-unit order, not the locale's: the same places always come out in the same order on every machine.
const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function placeOrder(a: Occurrence, b: Occurrence): number {
  return byCode(locationKey({ location: a }), locationKey({ location: b })) || byCode(a.message, b.message) || byCode(a.fingerprint, b.fingerprint);
}

function locationOf(o: Occurrence): Location {
  const { host, url, record, file, line, commit } = o;
  return Object.fromEntries(Object.entries({ host, url, record, file, line, commit }).filter(([, v]) => v !== undefined)) as Location;
}

function acceptanceText(a: NonNullable<Finding['accepted']>): string {
  return `${a.reason}${a.expires ? ` (until ${a.expires})` : ''}`;
}

interface Bucket {
  members: { finding: Unranked; meta: GroupMeta }[];
}

/**
 * Groups single-place findings (in any order) into one finding per check code and group. A group is accepted only
 * when every place is; otherwise the accepted places say so on their own. Then each finding whose code declares
 * `supersedes` absorbs the findings it explains on a host they share.
 */
export function groupFindings(items: readonly { finding: Unranked; meta: GroupMeta }[]): Unranked[] {
  const buckets = new Map<string, Bucket>();
  for (const item of items) {
    const key = `${item.finding.id}\0${item.meta.group}`;
    const b = buckets.get(key) ?? { members: [] };
    b.members.push(item);
    buckets.set(key, b);
  }
  const grouped = [...buckets.values()].map((b) => ({ finding: merge(b.members.map((m) => m.finding)), supersedes: b.members[0]!.meta.supersedes }));
  return fold(grouped);
}

function merge(members: Unranked[]): Unranked {
  const byPlace = new Map<string, { occurrence: Occurrence; finding: Unranked }>();
  for (const f of members) {
    for (const o of f.occurrences) {
      const at = byPlace.get(o.fingerprint);
      // The same place reported twice is one place; keep the first in a stable order.
      if (!at || placeOrder(o, at.occurrence) < 0) byPlace.set(o.fingerprint, { occurrence: o, finding: f });
    }
  }
  const places = [...byPlace.values()].sort((a, b) => placeOrder(a.occurrence, b.occurrence));
  const first = places[0]!;
  const allAccepted = places.every((p) => p.finding.accepted);
  const occurrences = places.map(({ occurrence, finding }) =>
    (!allAccepted && finding.accepted && !occurrence.accepted ? { ...occurrence, accepted: acceptanceText(finding.accepted) } : occurrence));
  const worst = members.reduce((w, f) => (severityWeight(f.severity) > severityWeight(w.severity) ? f : w), first.finding);
  const { accepted, ...base } = first.finding;
  return {
    ...base,
    severity: worst.severity,
    message: groupedMessage(occurrences),
    location: locationOf(first.occurrence),
    ...(first.occurrence.evidence !== undefined ? { evidence: first.occurrence.evidence } : {}),
    occurrences,
    count: occurrences.length,
    ...(allAccepted && accepted ? { accepted } : {}),
  };
}

function groupedMessage(occurrences: readonly Occurrence[]): string {
  const [first, ...rest] = occurrences;
  if (rest.length === 0) return first!.message;
  const named = rest.slice(0, NAMED).map(placeLabel);
  const more = rest.length - named.length;
  return `${first!.message} Also at ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''} (${occurrences.length} places).`;
}

function fold(list: { finding: Unranked; supersedes: readonly string[] }[]): Unranked[] {
  const absorbed = new Set<Unranked>();
  const out = list.map((x) => ({ ...x }));
  for (const cause of out) {
    if (cause.supersedes.length === 0 || absorbed.has(cause.finding)) continue;
    const hosts = new Set(cause.finding.occurrences.map(hostOf).filter(Boolean));
    for (const effect of out) {
      const f = effect.finding;
      if (f === cause.finding || absorbed.has(f) || !cause.supersedes.includes(f.id)) continue;
      if (Boolean(f.accepted) !== Boolean(cause.finding.accepted)) continue;
      if (!f.occurrences.some((o) => hosts.has(hostOf(o)))) continue;
      absorbed.add(f);
      const c = cause.finding;
      cause.finding = {
        ...c,
        severity: severityWeight(f.severity) > severityWeight(c.severity) ? f.severity : c.severity,
        message: `${c.message} The same cause: ${f.message}`,
        explains: [...(c.explains ?? []), { id: f.id, message: f.message, count: f.count, fingerprints: [f.fingerprint, ...f.occurrences.map((o) => o.fingerprint)] }],
      };
    }
  }
  return out.filter((x) => !absorbed.has(x.finding)).map((x) => x.finding);
}
