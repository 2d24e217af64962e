// The FraudStore port: conversion counters per prefix and country, and the blocks they lead to.
import type { CountChange, FraudBlock, WindowCounts } from '../domain/fraud/fraud-block.ts';

/**
 * Exact across processes. Each key's change is one atomic update whose result is part of the
 * totals returned, so of concurrent callers adding a send to one key each sees a different total
 * (1, 2, … n): the send that crosses a threshold is the same one in every run.
 */
export interface FraudStore {
  /**
   * Applies the change to each key's bucket; returns each key's totals over the window and those of
   * the changed bucket, this change included.
   */
  count(change: CountChange): Promise<WindowCounts[]>;
  /** The prefix's latest block, running or ended (kept until `keepUntil` given when it was made), or null. */
  blockOf(prefix: string): Promise<FraudBlock | null>;
  /** `blockOf` for several prefixes in one round trip, in the order given. */
  blocksOf(prefixes: readonly string[]): Promise<(FraudBlock | null)[]>;
  /**
   * Records `block` unless the prefix has one still running at `now`: one conditional write, so of
   * concurrent callers exactly one records it. True when this call did.
   */
  block(block: FraudBlock, now: Date, keepUntil: Date): Promise<boolean>;
  /** Blocks running at `now`, newest first. */
  activeBlocks(now: Date): Promise<FraudBlock[]>;
  /** Ends the prefix's running block at `now`; the block as it was, or null when none was running. */
  lift(prefix: string, now: Date): Promise<FraudBlock | null>;
  ping(): Promise<void>;
}
