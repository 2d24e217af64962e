// The fraud guard on the send and check paths: refuse sends to blocked prefixes, count sends and approvals.
import {
  conversionCountry,
  conversionPrefix,
  countryCounterKey,
  prefixCounterKey,
  shouldBlock,
  shouldBlockCountry,
  sinceCountryBlock,
  WINDOW_BUCKETS,
  windowSpan,
} from '../domain/fraud/conversion.ts';
import type { CountChange, FraudBlock, WindowCounts } from '../domain/fraud/fraud-block.ts';
import { guardModeFor, isSafeListed } from '../domain/fraud/fraud-policy.ts';
import type { Phone } from '../domain/phone/phone.ts';
import { isStoreUnavailable } from '../domain/store-outage.ts';
import type { VerifierDeps } from './verifier-deps.ts';

export type Screening =
  | { readonly admitted: false; readonly block: FraudBlock }
  /** `release` takes the send back out of the counts (it never reached the provider, or reached no phone). */
  | { readonly admitted: true; readonly release: () => Promise<void> };

/** A send that no block in force refuses; `count` then counts and judges it once the static limits admitted it. */
export type Precheck = { readonly refused: FraudBlock } | { readonly refused: null; count(): Promise<Screening> };

const ADMITTED: Screening = { admitted: true, release: async () => {} };
const UNGUARDED: Precheck = { refused: null, count: async () => ADMITTED };

const active = (block: FraudBlock | null, now: Date): block is FraudBlock => block !== null && block.until > now;

/** One fewer send: the counts as they stood before the send being judged. */
const before = (c: WindowCounts): WindowCounts => ({
  sends: c.sends - 1,
  approvals: c.approvals,
  current: { sends: c.current.sends - 1, approvals: c.current.approvals },
});

/**
 * The guard on the send path, in two steps around the static limits. First a send to a prefix or
 * a country under a block is refused, before any limit is charged. Once the limits admitted it,
 * the send is counted, and judged on the counts that very update returned, so under any
 * concurrency each send sees its own total and exactly the sends past the threshold are refused
 * (their limit charges are then refunded by the caller). Counting only admitted sends keeps a
 * retry storm that the per-phone limit refuses from looking like traffic. A send that finds its
 * prefix failing the conversion rule, or its country failing the surge rule, records the block
 * with one conditional write (only one of many racing sends records it, and reports it). Test
 * numbers never get here.
 */
export async function precheckSend(deps: VerifierDeps, phone: Phone, now: Date): Promise<Precheck> {
  const target = guarded(deps, phone);
  if (!target) return UNGUARDED;
  const { store, fraud, mode, prefix, country } = target;
  const [latest = null, countryBlock = null] = await store.blocksOf([prefix, country]);
  if (mode === 'block') {
    if (active(latest, now)) return { refused: refused(deps, latest) };
    if (active(countryBlock, now)) return { refused: refused(deps, countryBlock) };
  }

  const count = async (): Promise<Screening> => {
    const change = counterChange(fraud.windowSeconds, prefix, country, latest, 'sends', now);
    const [prefixCounts, countryCounts] = await store.count({ ...change, delta: 1 });
    const release = async () => {
      await store.count({ ...change, delta: -1 }).catch((error: unknown) => {
        if (!isStoreUnavailable(error)) throw error;
        deps.events?.emit({ type: 'fraud_count_failed', prefix, country });
      });
    };
    const seen = before(prefixCounts!);
    const home = before(countryCounts!);
    const surge = sinceCountryBlock(home, countryBlock, change.bucket);
    const span = { country, mode, since: now, until: new Date(now.getTime() + fraud.blockSeconds * 1000) } as const;
    const found: FraudBlock[] = [];
    if (!active(latest, now) && shouldBlock(seen, home, fraud))
      found.push({ ...span, prefix, sends: seen.sends, approvals: seen.approvals });
    // A whole country's block lasts one bucket (an hour by default), not FRAUD_BLOCK_SECONDS: it
    // refuses the people there too, and the rule judges each bucket afresh if the surge goes on.
    if (!active(countryBlock, now) && shouldBlockCountry(surge, fraud)) {
      const until = new Date(now.getTime() + Math.min(fraud.blockSeconds, fraud.windowSeconds / WINDOW_BUCKETS) * 1000);
      found.push({ ...span, until, prefix: country, sends: surge.current.sends, approvals: surge.current.approvals });
    }
    if (found.length === 0) return { admitted: true, release };

    const keepUntil = new Date(span.until.getTime() + fraud.windowSeconds * 1000);
    for (const block of found)
      if (await store.block(block, now, keepUntil)) deps.events?.emit({ type: 'fraud_blocked', ...block });
    if (mode === 'monitor') return { admitted: true, release };
    await release();
    // Another send may have recorded the block first: answer with the one in force.
    const recorded = (await store.blocksOf(found.map((b) => b.prefix))).find((b) => active(b, now));
    return { admitted: false, block: refused(deps, recorded ?? found[0]!) };
  };
  return { refused: null, count };
}

/** What the guard needs for a number it watches; null when it is off, for this country or everywhere, or the number is safe-listed. */
function guarded(deps: VerifierDeps, phone: Phone) {
  const store = deps.fraud;
  const fraud = deps.policy.fraud;
  const mode = guardModeFor(fraud, phone);
  if (!store || mode === 'off' || isSafeListed(fraud, phone.e164)) return null;
  return { store, fraud, mode, prefix: conversionPrefix(phone), country: conversionCountry(phone) };
}

/** The prefix's counter (its counts since its latest block ended) and its country's, in the bucket `now` is in. */
function counterChange(
  windowSeconds: number,
  prefix: string,
  country: string,
  latest: FraudBlock | null,
  field: CountChange['field'],
  now: Date,
): Omit<CountChange, 'delta'> {
  const { bucket, from, expiresAt } = windowSpan(windowSeconds, now);
  const keys = [prefixCounterKey(prefix, latest?.until.getTime() ?? 0), countryCounterKey(country)];
  return { keys, field, bucket, from, expiresAt };
}

function refused(deps: VerifierDeps, block: FraudBlock): FraudBlock {
  deps.events?.emit({ type: 'fraud_refused', prefix: block.prefix, country: block.country });
  return block;
}

/**
 * Counts an approval for the number's prefix and country. The approval has happened whatever
 * this does, so a store outage only costs the count (reported), never the answer.
 */
export async function countApproval(deps: VerifierDeps, phone: Phone, now: Date): Promise<void> {
  const target = guarded(deps, phone);
  if (!target || deps.policy.testCodes.has(phone.e164)) return;
  const { store, fraud, prefix, country } = target;
  try {
    const latest = await store.blockOf(prefix);
    await store.count({ ...counterChange(fraud.windowSeconds, prefix, country, latest, 'approvals', now), delta: 1 });
  } catch (error) {
    if (!isStoreUnavailable(error)) throw error;
    deps.events?.emit({ type: 'fraud_count_failed', prefix, country });
  }
}
