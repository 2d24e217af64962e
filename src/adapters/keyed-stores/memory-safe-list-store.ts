// In-memory SafeListStore: entries by number, exact in one process.
import type { SafeListEntry, SafeListStore } from '../../ports/safe-list-store.ts';
import { mapTable, type Table } from './table.ts';

export function createMemorySafeListStore(entries: Table<SafeListEntry> = mapTable<SafeListEntry>()): SafeListStore {
  return {
    async add(entry) {
      const found = entries.get(entry.phoneNumber);
      if (found) return found;
      entries.set(entry.phoneNumber, entry);
      return entry;
    },
    async get(phoneNumber) {
      return entries.get(phoneNumber) ?? null;
    },
    async remove(phoneNumber) {
      return entries.delete(phoneNumber);
    },
    async list() {
      return [...entries].map(([, e]) => e).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    },
    async ping() {},
  };
}
