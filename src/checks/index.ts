// Every check, in a stable order. A new check is one file in src/checks/<area>/ plus one line here.
import type { AnyCheck } from './define.js';
import expiredAcceptance from './config/expired-acceptance.js';
import apexCname from './dns/apex-cname.js';
import danglingCname from './dns/dangling-cname.js';
import lameDelegation from './dns/lame-delegation.js';
import missingCaa from './dns/missing-caa.js';
import singleNameserver from './dns/single-nameserver.js';
import soaSerialMismatch from './dns/soa-serial-mismatch.js';
import unexpectedRecord from './dns/unexpected-record.js';
import unresolvableHost from './dns/unresolvable-host.js';

export const allChecks: readonly AnyCheck[] = [
  unresolvableHost,
  apexCname,
  danglingCname,
  unexpectedRecord,
  singleNameserver,
  lameDelegation,
  soaSerialMismatch,
  missingCaa,
  expiredAcceptance,
] as unknown as readonly AnyCheck[];
