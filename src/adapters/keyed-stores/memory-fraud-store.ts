// In-memory FraudStore: exact in one process, because each call decides synchronously.

import type { ConversionCounts, FraudBlock, WindowCounts } from '../../domain/fraud/fraud-block.ts';
import type { FraudStore } from '../../ports/fraud-store.ts';
import { mapTable, type Table } from './table.ts';

interface Bucket {
  readonly sends: number;
  readonly approvals: number;
  readonly expiresAt: number;
}

/** A key's buckets by start (ms), replaced whole on each change. */
export type Buckets = Readonly<Record<string, Bucket>>;
export interface BlockEntry {
  readonly block: FraudBlock;
  readonly keepUntil: number;
}

/** Counters live until their bucket leaves the window; expired ones are swept whenever the map has doubled. */
export function createMemoryFraudStore(
  tables: { readonly counters: Table<Buckets>; readonly blocks: Table<BlockEntry> } = {
    counters: mapTable<Buckets>(),
    blocks: mapTable<BlockEntry>(),
  },
): FraudStore & { size(): number } {
  /** key → bucket start (ms) → counts. */
  const { counters, blocks } = tables;
  let sweepAt = 1024;
  const sweep = (now: number) => {
    for (const [key, buckets] of counters) {
      const kept = Object.entries(buckets).filter(([, bucket]) => bucket.expiresAt > now);
      if (kept.length === 0) counters.delete(key);
      else if (kept.length < Object.keys(buckets).length) counters.set(key, Object.fromEntries(kept));
    }
    for (const [prefix, entry] of blocks) if (entry.keepUntil <= now) blocks.delete(prefix);
    sweepAt = Math.max(1024, (counters.size + blocks.size) * 2);
  };
  const totals = (key: string, from: number): ConversionCounts => {
    let sends = 0;
    let approvals = 0;
    for (const [start, bucket] of Object.entries(counters.get(key) ?? {})) {
      if (Number(start) < from) continue;
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
        const buckets = counters.get(key) ?? {};
        const was = buckets[start] ?? { sends: 0, approvals: 0, expiresAt: expiresAt.getTime() };
        const counts = { ...was, [field]: was[field] + delta };
        counters.set(key, { ...buckets, [start]: counts });
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
      return [...blocks]
        .map(([, e]) => e.block)
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
