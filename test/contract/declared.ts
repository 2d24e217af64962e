// Declared gaps: a case an adapter does not promise is skipped with the reason in its title.
import { it } from 'vitest';

/** `it` when the adapter promises the case, else a skip whose title says why it does not. */
export const itIfPromised = (promised: boolean, reason: string) => (title: string, fn: () => Promise<void>) =>
  promised ? it(title, fn) : it.skip(`${title} [not promised: ${reason}]`, fn);
