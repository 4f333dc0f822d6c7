// Connections in use against max_connections: when the slots run out, new requests fail to get a connection.
import { connected, defineCheck } from '../define.js';
import { REFERENCES } from '../../derive/database.js';

const HIGH = 0.9;
const MEDIUM = 0.75;

export default defineCheck({
  id: 'connection-limit',
  area: 'database',
  // High at check level: an unreadable database leaves the run INCOMPLETE, never a silent GO.
  severity: 'high',
  impact: 'availability',
  title: 'Connections leave headroom below max_connections',
  description:
    'When every connection slot is taken, new connections are refused ("too many clients already"): requests fail outright during a traffic spike or a deploy that briefly doubles the app\'s pools.',
  remediation:
    'Put a pooler in front (PgBouncer in transaction mode, or your provider\'s pooler), size each app instance\'s pool so that instances × pool size stays well under max_connections, and close idle connections.',
  references: [REFERENCES.connections, 'https://www.pgbouncer.org/features.html'],
  requires: ['database.postgres'],
  messages: {
    'near-limit': {
      message: '{used} of {usable} usable connections are in use ({share|percent}; max_connections {max}, {reserved} reserved): the next spike is refused.',
    },
    busy: { severity: 'medium', message: '{used} of {usable} usable connections are in use ({share|percent}; max_connections {max}, {reserved} reserved).' },
  },
  run({ 'database.postgres': facts }, ctx) {
    const db = connected(facts, ctx);
    if (!db) return;
    const c = db.connections;
    // Our own session counts too: it holds a slot while the audit runs.
    const used = c.total + 1;
    const usable = Math.max(1, c.maxConnections - c.reserved);
    const share = used / usable;
    ctx.details({ used, maxConnections: c.maxConnections, reserved: c.reserved, byState: c.byState });
    const args = { used, usable, share, max: c.maxConnections, reserved: c.reserved };
    const location = { host: db.server.host, record: 'max_connections' };
    if (share >= HIGH) ctx.report({ code: 'near-limit', args, location });
    else if (share >= MEDIUM) ctx.report({ code: 'busy', args, location });
  },
});
