// A real authoritative server (NSD, from Debian) on loopback, serving zones the test writes: an independent
// implementation to check our DNS collector against, next to our own dns-packet sandbox.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exchange } from '../../src/collect/dns/wire.js';
import { NetPolicy } from '../../src/collect/net.js';

export const NSD_BIN = ['/usr/sbin/nsd', '/usr/bin/nsd'].find((p) => existsSync(p));

export interface Nsd {
  address: string;
  port: number;
  close(): Promise<void>;
}

/** A port the kernel just handed out on this address (TCP; NSD binds UDP and TCP and fails loudly if taken). */
function freePort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, address, () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A random address in 127/8 away from 127.0.0.x, where port 53 is ours alone. */
export function randomLoopback(): string {
  const b = () => 1 + Math.floor(Math.random() * 250);
  return `127.${b()}.${b()}.${b()}`;
}

/** Port 53 needs root (or CAP_NET_BIND_SERVICE, which a test cannot see cheaply: root it is). */
export function canUsePort53(): boolean {
  return process.getuid?.() === 0;
}

async function waitUntilAnswering(address: string, port: number, zone: string, child: ChildProcess, log: string): Promise<void> {
  const policy = new NetPolicy({ loopbackOnly: true });
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nsd exited (${child.exitCode}): ${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
    const a = await exchange({ server: { address, port }, name: zone, type: 'SOA', timeoutMs: 200, retries: 0, policy });
    if (a.status === 'ok') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nsd did not answer on ${address}:${port}`);
}

/**
 * Starts NSD with the zones (name -> zone file text) made for the address it listens on. As root it listens on port 53 of a random 127/8
 * address, so nameserver probes take the production path (the NS name's address, port 53) with no --connect-to;
 * otherwise on a random port of 127.0.0.1.
 */
export async function startNsd(zonesAt: (address: string) => Record<string, string>, opts: { port53?: boolean; address?: string } = {}): Promise<Nsd> {
  if (!NSD_BIN) throw new Error('nsd is not installed (Debian package nsd)');
  const port53 = opts.port53 ?? canUsePort53();
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'lr-nsd-'));
    const address = opts.address ?? (port53 ? randomLoopback() : '127.0.0.1');
    const port = port53 ? 53 : await freePort(address);
    // The zones may name the server's own address (glue for its nameserver names).
    const zones = zonesAt(address);
    for (const [name, text] of Object.entries(zones)) writeFileSync(join(dir, `${name}.zone`), text);
    const log = join(dir, 'nsd.log');
    writeFileSync(join(dir, 'nsd.conf'), [
      'server:',
      `  ip-address: ${address}@${port}`,
      `  port: ${port}`,
      '  do-ip6: no',
      '  username: ""',
      '  chroot: ""',
      `  zonesdir: "${dir}"`,
      `  zonelistfile: "${dir}/zone.list"`,
      '  database: ""',
      `  xfrdfile: "${dir}/xfrd.state"`,
      `  pidfile: "${dir}/nsd.pid"`,
      `  logfile: "${log}"`,
      '  server-count: 1',
      '  verbosity: 1',
      'remote-control:',
      '  control-enable: no',
      ...Object.keys(zones).flatMap((name) => ['zone:', `  name: ${name}`, `  zonefile: "${name}.zone"`]),
      '',
    ].join('\n'));
    const child = spawn(NSD_BIN, ['-d', '-c', join(dir, 'nsd.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    const close = () => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    try {
      await waitUntilAnswering(address, port, Object.keys(zones)[0]!, child, log);
      return { address, port, close };
    } catch (err) {
      lastError = new Error(`${(err as Error).message}\n${stderr}`);
      await close();
    }
  }
  throw lastError;
}
