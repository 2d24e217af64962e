// The fraud guard's model: conversion counts and the block of a number prefix.

/** Sends and approvals counted for one prefix or country in the window. */
export interface ConversionCounts {
  readonly sends: number;
  readonly approvals: number;
}

/** Counts over the window, and those of its newest bucket (the last hour with the default window). */
export interface WindowCounts extends ConversionCounts {
  readonly current: ConversionCounts;
}

/** A prefix the guard stopped (mode block) or would have stopped (mode monitor). */
export interface FraudBlock {
  /**
   * The conversion prefix, e.g. +141555 (see conversion.ts); for a whole country stopped by the
   * surge rule, the country itself (`US`, or `+881` for numbers of no country).
   */
  readonly prefix: string;
  /** ISO alpha-2, or +<calling code> for numbers of no country. */
  readonly country: string;
  readonly mode: 'block' | 'monitor';
  readonly since: Date;
  /** When the block ends; a lifted block ends when it was lifted. */
  readonly until: Date;
  /** The prefix's sends and approvals in the window when it was blocked. */
  readonly sends: number;
  readonly approvals: number;
}

/** One change to conversion counters: a send or approval counted (delta 1) or taken back (-1). */
export interface CountChange {
  readonly keys: readonly string[];
  readonly field: 'sends' | 'approvals';
  readonly delta: 1 | -1;
  /** The bucket to change (the one `now` falls in). */
  readonly bucket: Date;
  /** Totals cover the buckets from this one to `bucket`. */
  readonly from: Date;
  /** When the changed counters may be deleted. */
  readonly expiresAt: Date;
}
