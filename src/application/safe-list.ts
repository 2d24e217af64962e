// The safe list kept in the store, beside FRAUD_SAFE_LIST: managed by the operator, read by every
// send through a copy each instance keeps fresh.
import { fail, ok, type Result } from '../domain/errors.ts';
import { SAFE_LIST_ENTRY } from '../domain/fraud/fraud-policy.ts';
import { randomId } from '../domain/random.ts';
import type { Clock } from '../ports/clock.ts';
import type { SafeListEntry, SafeListStore } from '../ports/safe-list-store.ts';

export type SafeListError = 'MALFORMED_REQUEST' | 'NOT_FOUND';

/**
 * The policies' safe lists are views updated in place, so the synchronous checks of a send (its
 * country, the fraud guard) see an entry as soon as this instance adds it, and other instances'
 * entries after their next `refresh` (every SAFE_LIST_REFRESH_SECONDS).
 */
export function createSafeList(store: SafeListStore, clock: Clock) {
  let stored: string[] = [];
  /** Each policy's list: its own FRAUD_SAFE_LIST entries, then the stored ones. */
  const views: { base: readonly string[]; list: string[] }[] = [];
  const update = () => {
    for (const view of views) view.list.splice(0, view.list.length, ...view.base, ...stored);
  };
  const add = (phoneNumber: string) => {
    if (stored.includes(phoneNumber)) return;
    stored = [...stored, phoneNumber];
    update();
  };
  return {
    /** A list that holds `base` and the stored entries, kept current (for a policy's safeList). */
    view(base: readonly string[]): readonly string[] {
      const view = { base, list: [...base, ...stored] };
      views.push(view);
      return view.list;
    },
    async refresh(): Promise<void> {
      stored = (await store.list()).map((e) => e.phoneNumber);
      update();
    },
    async add(phoneNumber: string): Promise<Result<SafeListEntry, SafeListError>> {
      if (!SAFE_LIST_ENTRY.test(phoneNumber))
        return fail('MALFORMED_REQUEST', 'phoneNumber must be an E.164 number, or a prefix ending in * (+4420*).', {
          fields: ['phoneNumber'],
        });
      const entry = await store.add({ sid: `GN${randomId()}`, phoneNumber, createdAt: clock.now() });
      add(entry.phoneNumber);
      return ok(entry);
    },
    async get(phoneNumber: string): Promise<Result<SafeListEntry, SafeListError>> {
      const found = await store.get(phoneNumber);
      return found ? ok(found) : fail('NOT_FOUND', `${phoneNumber.slice(0, 20)} is not on the safe list.`);
    },
    async remove(phoneNumber: string): Promise<Result<null, SafeListError>> {
      if (!(await store.remove(phoneNumber)))
        return fail('NOT_FOUND', `${phoneNumber.slice(0, 20)} is not on the safe list.`);
      stored = stored.filter((entry) => entry !== phoneNumber);
      update();
      return ok(null);
    },
    list: () => store.list(),
  };
}

export type SafeList = ReturnType<typeof createSafeList>;
