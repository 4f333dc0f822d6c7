// The TLS collector against loopback HTTPS servers with planted certificate defects: chain parsing, trust,
// legacy protocol probes, closed and silent ports — all through the run's resolver and --connect-to.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCaFile } from '../../src/collect/setup.js';
import { collectTls, probeEndpoint, sslReason } from '../../src/collect/tls/index.js';
import type { TlsEndpoint } from '../../src/facts/tls.js';
import { BROKEN_EDGE, CLEAN_EDGE, startEdgeSandbox, type EdgeSandbox } from '../../src/sandbox/edge-site.js';
import { edgeContext, targetOf } from '../helpers/edge-sandbox.js';

let sb: EdgeSandbox;
let byLabel: Map<string, TlsEndpoint>;
let silent: net.Server;
const held = new Set<net.Socket>();

beforeAll(async () => {
  sb = await startEdgeSandbox();
  const { ctx, done } = await edgeContext(sb);
  const eps = await collectTls(ctx, targetOf(BROKEN_EDGE, ['@', ...sb.brokenLabels]));
  done();
  byLabel = new Map(eps.map((e) => [e.label, e]));
  // Accepts TCP and never says a word: a filtered or hung TLS terminator.
  silent = net.createServer((s) => { held.add(s); s.on('close', () => held.delete(s)); });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
});

afterAll(async () => {
  for (const s of held) s.destroy();
  silent?.close();
  await sb?.close();
});

const get = (label: string) => byLabel.get(label)!;

describe('TLS collector: the presented chain, parsed', () => {
  it('reads a good chain field by field', () => {
    const e = get('@');
    expect(e).toMatchObject({ host: BROKEN_EDGE, status: 'ok', port: 443, addresses: ['127.0.0.1'], connectedTo: `127.0.0.1:${sb.web.httpsPort}` });
    expect(e.protocol).toBe('TLSv1.3');
    expect(e.cipher).toMatch(/^TLS_/);
    expect(e.trust).toEqual({ status: 'trusted', anchor: 'launch-ready Sandbox Root CA' });
    const [leaf, inter] = e.chain;
    expect(leaf).toMatchObject({
      commonName: BROKEN_EDGE, dnsNames: [BROKEN_EDGE], issuerCommonName: 'launch-ready Sandbox Issuing CA 1',
      keyType: 'rsa', keyBits: 2048, signatureAlgorithm: 'sha256WithRSAEncryption', selfIssued: false, isCa: false,
      ocspUrls: ['http://ocsp.sandbox.test'], crlUrls: ['http://crl.sandbox.test/issuing1.crl'],
    });
    expect(leaf!.serial).toMatch(/^[0-9a-f]+$/);
    expect(Date.parse(leaf!.notAfter) - Date.now()).toBeGreaterThan(59 * 86_400_000);
    expect(inter).toMatchObject({ commonName: 'launch-ready Sandbox Issuing CA 1', isCa: true, crlUrls: ['http://crl.sandbox.test/root.crl'] });
  });

  it('judges each planted defect', () => {
    expect(get('selfsigned').trust?.status).toBe('self-signed');
    expect(get('selfsigned').chain).toHaveLength(1);
    expect(get('nochain').trust).toMatchObject({ status: 'incomplete', detail: /Issuing CA 1.*intermediate certificate is missing/ });
    expect(get('nochain').chain.map((c) => c.commonName)).toEqual([`nochain.${BROKEN_EDGE}`]);
    expect(get('sha1').chain[0]!.signatureAlgorithm).toBe('sha1WithRSAEncryption');
    expect(get('weakkey').chain[0]!.keyBits).toBe(1024);
    expect(get('wrong').chain[0]!.dnsNames).toEqual([`other.wrong.${BROKEN_EDGE}`, 'unrelated.invalid']);
    expect(Date.parse(get('expired').chain[0]!.notAfter)).toBeLessThan(Date.now());
    expect(Date.parse(get('future').chain[0]!.notBefore)).toBeGreaterThan(Date.now());
    // Dates are another check's business: the expired chain still verifies.
    expect(get('expired').trust?.status).toBe('trusted');
    expect(get('expired').nodeVerifyError).toBeUndefined(); // with --ca, OpenSSL's store lacks the private root
  });

  it('probes TLS 1.0 and 1.1 separately: accepted only where the server allows them', () => {
    expect(get('legacy').legacy).toEqual([{ version: 'TLSv1', status: 'accepted' }, { version: 'TLSv1.1', status: 'accepted' }]);
    expect(get('@').legacy.map((p) => [p.version, p.status])).toEqual([['TLSv1', 'rejected'], ['TLSv1.1', 'rejected']]);
    expect(get('@').legacy[0]!.message).toBe('tlsv1 alert protocol version');
  });

  it('a closed port 443 is "refused", with the host\'s addresses kept', () => {
    expect(get('closed')).toMatchObject({ status: 'refused', addresses: ['127.0.0.1'], chain: [] });
  });
});

describe('TLS collector: trust store, deadlines, no address', () => {
  it('without --ca the private chain leads to an unknown root', async () => {
    const { ctx, done } = await edgeContext(sb, { ca: false });
    const e = await probeEndpoint(ctx, { name: CLEAN_EDGE, domain: CLEAN_EDGE, label: '@', declared: true });
    done();
    expect(e.trust).toMatchObject({ status: 'unknown-issuer', detail: /Issuing CA 1.*Root CA.*neither sent nor a trusted root/ });
    expect(e.nodeVerifyError).toBe('UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
  });

  it('a server that never answers the handshake times out within the step deadline', async () => {
    const port = (silent.address() as net.AddressInfo).port;
    const { ctx, done } = await edgeContext(sb, { timeoutMs: 300, connectTo: [`api.${CLEAN_EDGE}:443:127.0.0.1:${port}`] });
    const e = await probeEndpoint(ctx, { name: `api.${CLEAN_EDGE}`, domain: CLEAN_EDGE, label: 'api', declared: true });
    done();
    expect(e.status).toBe('timeout');
    expect(e.legacy.map((p) => p.status)).toEqual(['error', 'error']);
  });

  it('a host without an address is not connected to, and its lookups went to our resolver', async () => {
    const { ctx, done } = await edgeContext(sb);
    const before = sb.dns.queries.length;
    const e = await probeEndpoint(ctx, { name: `ghost.${CLEAN_EDGE}`, domain: CLEAN_EDGE, label: 'ghost', declared: false });
    done();
    expect(e).toMatchObject({ status: 'no-address', chain: [] });
    expect(e.connectedTo).toBeUndefined();
    expect(sb.dns.queries.slice(before).map((q) => `${q.name} ${q.type}`).sort()).toEqual([`ghost.${CLEAN_EDGE} A`, `ghost.${CLEAN_EDGE} AAAA`]);
  });

  it('--ca must hold a parsable PEM certificate', async () => {
    await expect(loadCaFile('/nonexistent/ca.pem')).rejects.toThrow(/--ca \/nonexistent\/ca\.pem: cannot read it \(ENOENT\)/);
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const dir = mkdtempSync('/tmp/lr-ca-bad-');
    writeFileSync(`${dir}/x.pem`, 'hello');
    await expect(loadCaFile(`${dir}/x.pem`)).rejects.toThrow(/no PEM certificate/);
    writeFileSync(`${dir}/y.pem`, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    await expect(loadCaFile(`${dir}/y.pem`)).rejects.toThrow(/certificate 1 does not parse/);
  });

  it('OpenSSL messages are cut to their reason', () => {
    expect(sslReason('80AC48D6EA7F0000:error:0A00042E:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 70\n'))
      .toBe('tlsv1 alert protocol version');
    expect(sslReason('connect ECONNREFUSED 127.0.0.1:1')).toBe('connect ECONNREFUSED 127.0.0.1:1');
  });
});

describe('certificate parsing beyond what forge can build', () => {
  it('reads an ECDSA P-256 certificate (forge cannot parse EC keys; the ASN.1 walk does)', async () => {
    const { readFileSync } = await import('node:fs');
    const { X509Certificate } = await import('node:crypto');
    const { parseCertificate } = await import('../../src/collect/tls/parse.js');
    const { judgeChain } = await import('../../src/collect/tls/trust.js');
    // Generated once with `openssl req -x509 -newkey ec ...`: a public certificate, no key in the repo.
    const pem = readFileSync(new URL('../fixtures/certs/ec-p256-selfsigned.pem', import.meta.url), 'utf8');
    const der = new X509Certificate(pem).raw;
    expect(parseCertificate(der)).toMatchObject({
      commonName: 'ec.shop.test', keyType: 'ec', keyBits: 256, curve: 'prime256v1', signatureAlgorithm: 'ecdsa-with-SHA256',
      dnsNames: ['ec.shop.test', '*.ec.shop.test'], ipAddresses: ['127.0.0.1', '::1'],
      ocspUrls: ['http://ocsp.fixture.test'], caIssuerUrls: ['http://ca.fixture.test/ca.crt'], crlUrls: [], selfIssued: true,
    });
    expect(judgeChain([der], []).status).toBe('self-signed');
    expect(judgeChain([der], [pem])).toEqual({ status: 'trusted', anchor: 'ec.shop.test' });
  });
});
