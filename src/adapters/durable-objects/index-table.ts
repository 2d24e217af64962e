// The global views a sharded store needs: which shard holds a message id, which prefixes were blocked.
import type { Table } from '../keyed-stores/table.ts';

interface Link {
  readonly value: string;
  /** When the link may go (ms). */
  readonly until: number;
}

/** Links from a name to a value, each kept until its time; swept whenever the table has doubled. */
export function createIndex(links: Table<Link>) {
  let sweepAt = 1024;
  const sweep = (now: number) => {
    for (const [name, link] of links) if (link.until <= now) links.delete(name);
    sweepAt = Math.max(1024, links.size * 2);
  };
  return {
    async link(name: string, value: string, until: Date, now: Date): Promise<void> {
      links.set(name, { value, until: until.getTime() });
      if (links.size >= sweepAt) sweep(now.getTime());
    },
    /** The value linked to `name`, while the link is kept (the caller checks that it still holds). */
    async lookup(name: string): Promise<string | null> {
      return links.get(name)?.value ?? null;
    },
    /** The names of links kept at `now` whose name starts with `prefix`. */
    async names(prefix: string, now: Date): Promise<string[]> {
      const found: string[] = [];
      for (const [name, link] of links) if (name.startsWith(prefix) && link.until > now.getTime()) found.push(name);
      return found;
    },
    async ping(): Promise<void> {},
  };
}
