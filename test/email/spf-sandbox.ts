// The SPF test zone and a resolver pointed at it: shared by the evaluator tests and the differential test.
import { DnsResolver } from '../../src/collect/dns/resolver.js';
import { Limiter } from '../../src/collect/limit.js';
import { NetPolicy } from '../../src/collect/net.js';
import type { SpfLookup } from '../../src/email/spf/evaluate.js';
import { parseZone, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';

const many = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `a:${prefix}${i + 1}.spf.test`).join(' ');
const LONG_LABEL = 'l'.repeat(63);

export const SPF_ZONE = `$ORIGIN spf.test.
$TTL 300
@        SOA ns1.spf.test. hostmaster.spf.test. ( 1 3600 600 1209600 300 )
@        NS  ns1
ns1      A   127.0.0.1
ip4      TXT "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all"
split    TXT "v=spf1 ip4:192.0.2.0/24" " -all"
a        TXT "v=spf1 a a:host.spf.test/24 -all"
a        A   198.51.100.1
host     A   203.0.113.10
a6       TXT "v=spf1 a//64 -all"
a6       AAAA 2001:db8:1:2::1
mx       TXT "v=spf1 mx/30 -all"
mx       MX  10 mail1.spf.test.
mx       MX  20 mail2.spf.test.
mail1    A   198.51.100.20
mail2    A   198.51.100.40
inc      TXT "v=spf1 include:ip4.spf.test ~all"
incnone  TXT "v=spf1 include:nospf.spf.test -all"
nospf    TXT "hello world"
incfail  TXT "v=spf1 include:fail.spf.test ?all"
fail     TXT "v=spf1 -all"
redir    TXT "v=spf1 redirect=ip4.spf.test"
redirall TXT "v=spf1 ?all redirect=ip4.spf.test"
redirnone TXT "v=spf1 redirect=nospf.spf.test"
multi    TXT "v=spf1 -all"
multi    TXT "v=spf1 +all"
syntax   TXT "v=spf1 ip4:192.0.2.1 ip4:300.1.1.1 -all"
badmech  TXT "v=spf1 foo:bar -all"
dupredir TXT "v=spf1 redirect=a.spf.test redirect=b.spf.test"
exists   TXT "v=spf1 exists:%{ir}.%{v}.ok.spf.test -all"
1.2.0.192.in-addr.ok A 127.0.0.2
ptr      TXT "v=spf1 ptr -all"
mailer.ptr A 192.0.2.55
ten      TXT "v=spf1 ${many(10, 'x')} -all"
eleven   TXT "v=spf1 ${many(11, 'x')} -all"
${Array.from({ length: 11 }, (_, i) => `x${i + 1} A 203.0.113.${i + 1}`).join('\n')}
void2    TXT "v=spf1 a:v1.spf.test a:v2.spf.test -all"
void3    TXT "v=spf1 a:v1.spf.test a:v2.spf.test a:v3.spf.test -all"
mxmany   TXT "v=spf1 mx -all"
mxvoid   TXT "v=spf1 mx a:v1.spf.test -all"
mxvoid   MX  10 gone1.spf.test.
mxvoid   MX  20 gone2.spf.test.
mxvoid2  TXT "v=spf1 mx -all"
mxvoid2  MX  10 mail1.spf.test.
mxvoid2  MX  20 gone1.spf.test.
mxvoid2  MX  30 gone2.spf.test.
mxvoid3  TXT "v=spf1 mx -all"
mxvoid3  MX  10 mail1.spf.test.
mxvoid3  MX  20 gone1.spf.test.
mxvoid3  MX  30 gone2.spf.test.
mxvoid3  MX  40 gone3.spf.test.
mxnodata TXT "v=spf1 mx mx:v1.spf.test a:v2.spf.test -all"
mxfail   TXT "v=spf1 mx -all"
${Array.from({ length: 11 }, (_, i) => `mxmany MX ${i} m${i}.spf.test.`).join('\n')}
exp      TXT "v=spf1 -all exp=why.spf.test"
why      TXT "%{i} is not one of %{d}'s designated mail servers."
tf       TXT "v=spf1 include:servfail.spf.test -all"
servfail TXT "v=spf1 -all"
sf       TXT "v=spf1 -all"
slow     TXT "v=spf1 -all"
neutral  TXT "v=spf1 ip4:203.0.113.0/24"
loop     TXT "v=spf1 include:loop.spf.test -all"
_spf+x=y TXT "v=spf1 ip4:192.0.2.9 -all"
odd      TXT "v=spf1 include:_spf+x=y.spf.test -all"
${LONG_LABEL} TXT "v=spf1 ip4:192.0.2.10 -all"
long     TXT "v=spf1 include:${LONG_LABEL}.spf.test -all"
Upper    TXT "V=SPF1 IP4:192.0.2.11 -ALL"
mapped   TXT "v=spf1 ip4:192.0.2.5 -all"
macro-l  TXT "v=spf1 exists:%{l}.users.spf.test -all"
alice.users A 127.0.0.2
`;

export const REVERSE_ZONE = `$ORIGIN 2.0.192.in-addr.arpa.
$TTL 300
@   SOA ns1.spf.test. hostmaster.spf.test. ( 1 3600 600 1209600 300 )
@   NS  ns1.spf.test.
55  PTR mailer.ptr.spf.test.
56  PTR elsewhere.example.test.
`;

export async function startSpfSandbox(): Promise<DnsSandbox> {
  const dns = await startDnsSandbox({ zones: [parseZone(SPF_ZONE), parseZone(REVERSE_ZONE)] });
  dns.setFault('servfail.spf.test', { servfail: true }, 'TXT');
  dns.setFault('sf.spf.test', { servfail: true }, 'TXT');
  dns.setFault('slow.spf.test', { drop: true }, 'TXT');
  dns.setFault('mxfail.spf.test', { servfail: true }, 'MX');
  return dns;
}

/** A fresh resolver (own cache) for one evaluation, through the real wire client. */
export function sandboxLookup(dns: DnsSandbox, timeoutMs = 1000): SpfLookup {
  const resolver = new DnsResolver({
    servers: [{ address: dns.address, port: dns.port }],
    timeoutMs,
    retries: 0,
    policy: new NetPolicy({ loopbackOnly: true }),
    limiter: new Limiter(16),
  });
  return (name, type) => resolver.query(name, type);
}
