// Whether a name has an address through the run's resolver (cached queries). A name that does not resolve is never
// contacted: a --connect-to catch-all would otherwise make it look reachable (or "refused").
import type { CollectContext } from '../context.js';

export async function resolves(ctx: CollectContext, name: string): Promise<boolean> {
  const a = await ctx.resolver.resolveAddresses(name, 'A');
  if (a.addresses.length > 0) return true;
  return (await ctx.resolver.resolveAddresses(name, 'AAAA')).addresses.length > 0;
}
