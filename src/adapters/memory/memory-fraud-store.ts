// In-memory FraudStore: exact in one process, because each call decides synchronously.
import type { ConversionCounts, FraudBlock, WindowCounts } from '../../domain/fraud/fraud-block.ts';
import type { FraudStore } from '../../ports/fraud-store.ts';

interface Bucket {
  sends: number;
  approvals: number;
  readonly expiresAt: number;
}

/** Counters live until their bucket leaves the window; expired ones are swept whenever the map has doubled. */
export function createMemoryFraudStore(): FraudStore & { size(): number } {
  /** key → bucket start (ms) → counts. */
  const counters = new Map<string, Map<number, Bucket>>();
  const blocks = new Map<string, { block: FraudBlock; keepUntil: number }>();
  let sweepAt = 1024;
  const sweep = (now: number) => {
    for (const [key, buckets] of counters) {
      for (const [start, bucket] of buckets) if (bucket.expiresAt <= now) buckets.delete(start);
      if (buckets.size === 0) counters.delete(key);
    }
    for (const [prefix, entry] of blocks) if (entry.keepUntil <= now) blocks.delete(prefix);
    sweepAt = Math.max(1024, (counters.size + blocks.size) * 2);
  };
  const totals = (key: string, from: number): ConversionCounts => {
    let sends = 0;
    let approvals = 0;
    for (const [start, bucket] of counters.get(key) ?? []) {
      if (start < from) continue;
      sends += bucket.sends;
      approvals += bucket.approvals;
    }
    return { sends, approvals };
  };
  const running = (prefix: string, now: Date) => {
    const entry = blocks.get(prefix);
    return entry && entry.block.until > now ? entry : null;
  };

  return {
    async count({ keys, field, delta, bucket, from, expiresAt }) {
      const start = bucket.getTime();
      const result = keys.map((key) => {
        let buckets = counters.get(key);
        if (!buckets) counters.set(key, (buckets = new Map()));
        let counts = buckets.get(start);
        if (!counts) buckets.set(start, (counts = { sends: 0, approvals: 0, expiresAt: expiresAt.getTime() }));
        counts[field] += delta;
        const window: WindowCounts = {
          ...totals(key, from.getTime()),
          current: { sends: counts.sends, approvals: counts.approvals },
        };
        return window;
      });
      if (counters.size + blocks.size >= sweepAt) sweep(start);
      return result;
    },
    async blockOf(prefix) {
      return blocks.get(prefix)?.block ?? null;
    },
    async blocksOf(prefixes) {
      return prefixes.map((prefix) => blocks.get(prefix)?.block ?? null);
    },
    async block(block, now, keepUntil) {
      if (running(block.prefix, now)) return false;
      blocks.set(block.prefix, { block, keepUntil: keepUntil.getTime() });
      return true;
    },
    async activeBlocks(now) {
      return [...blocks.values()]
        .map((e) => e.block)
        .filter((b) => b.until > now)
        .sort((a, b) => b.since.getTime() - a.since.getTime());
    },
    async lift(prefix, now) {
      const entry = running(prefix, now);
      if (!entry) return null;
      blocks.set(prefix, { ...entry, block: { ...entry.block, until: now } });
      return entry.block;
    },
    async ping() {},
    size: () => counters.size + blocks.size,
  };
}
