// Chain trust judged apart from dates: walk from the leaf through the presented certificates to an anchor of
// Node's store (plus --ca), checking every signature. Dates and names are other checks' business, so an expired
// but otherwise good chain is still "trusted" here and reported once, by cert-expiry.
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import type { ChainTrust } from '../../facts/tls.js';

let systemAnchors: X509Certificate[] | undefined;
const extraAnchors = new Map<string, X509Certificate>();

/** --ca anchors first; Node's ~140 roots are parsed only when needed (once per process, ~50 ms). */
function* anchorsFor(extraCa: readonly string[]): Generator<X509Certificate> {
  for (const pem of extraCa) {
    let x = extraAnchors.get(pem);
    if (!x) extraAnchors.set(pem, (x = new X509Certificate(pem)));
    yield x;
  }
  systemAnchors ??= tls.rootCertificates.flatMap((pem) => {
    try {
      return [new X509Certificate(pem)];
    } catch {
      return [];
    }
  });
  yield* systemAnchors;
}

function findAnchor(extraCa: readonly string[], test: (a: X509Certificate) => boolean): X509Certificate | undefined {
  for (const a of anchorsFor(extraCa)) if (test(a)) return a;
  return undefined;
}

function cn(x: X509Certificate): string {
  return x.subject.split('\n').find((l) => l.startsWith('CN='))?.slice(3) ?? x.subject.replace(/\n/g, ', ');
}

function issuerCn(x: X509Certificate): string {
  return x.issuer.split('\n').find((l) => l.startsWith('CN='))?.slice(3) ?? x.issuer.replace(/\n/g, ', ');
}

/** Same name as issuer and signed by its own key. (X509Certificate.checkIssued also wants keyCertSign, which a
 * self-signed leaf lacks.) */
export function selfSigned(x: X509Certificate): boolean {
  return x.subject === x.issuer && signedBy(x, x);
}

function signedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

export function judgeChain(presented: readonly Buffer[], extraCa: readonly string[]): ChainTrust {
  if (presented.length === 0) return { status: 'empty', detail: 'the server presented no certificate' };
  const chain = presented.map((d) => new X509Certificate(d));
  const used = new Set<number>([0]);
  let current = chain[0]!;
  for (let depth = 0; depth < 10; depth++) {
    // The presented chain first: anchors (and the parse of the whole root store) only when it runs out.
    const next = chain.findIndex((c, i) => !used.has(i) && current.checkIssued(c));
    if (next >= 0) {
      const parent = chain[next]!;
      if (!signedBy(current, parent)) {
        return { status: 'bad-signature', detail: `the signature of "${cn(current)}" does not verify with the key of "${cn(parent)}"` };
      }
      used.add(next);
      current = parent;
      continue;
    }
    const cur = current;
    const anchor = findAnchor(extraCa, (a) => a.fingerprint256 === cur.fingerprint256 || (cur.checkIssued(a) && signedBy(cur, a)));
    if (anchor) return { status: 'trusted', anchor: cn(anchor) };
    if (selfSigned(current)) {
      return current === chain[0]
        ? { status: 'self-signed', detail: `"${cn(current)}" is self-signed: no client trusts it` }
        : { status: 'unknown-issuer', detail: `the chain ends at "${cn(current)}", a root no trust store has` };
    }
    if (current === chain[0]) {
      return {
        status: 'incomplete',
        detail: `the server sends only the leaf; its issuer "${issuerCn(current)}" is neither sent nor a trusted root (the intermediate certificate is missing)`,
      };
    }
    return { status: 'unknown-issuer', detail: `"${cn(current)}" was issued by "${issuerCn(current)}", which is neither sent nor a trusted root` };
  }
  return { status: 'unknown-issuer', detail: 'the chain is longer than 10 certificates' };
}
