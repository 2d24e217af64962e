// The SafeListStore port: numbers (or prefixes, with a trailing *) the fraud guard never blocks.

export interface SafeListEntry {
  /** `GN` and 32 hex digits, as Twilio names safe-list entries. */
  readonly sid: string;
  /** A whole E.164 number, which matches only itself, or a prefix ending in `*` (`+4420*`). */
  readonly phoneNumber: string;
  readonly createdAt: Date;
}

export interface SafeListStore {
  /** Adds the entry; an entry already there for the number is kept and returned instead. */
  add(entry: SafeListEntry): Promise<SafeListEntry>;
  get(phoneNumber: string): Promise<SafeListEntry | null>;
  /** True when it was there. */
  remove(phoneNumber: string): Promise<boolean>;
  /** Every entry, oldest first. */
  list(): Promise<SafeListEntry[]>;
  ping(): Promise<void>;
}
