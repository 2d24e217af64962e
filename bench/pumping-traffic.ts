// A day of verification traffic for the pumping simulation: normal users and pumping attacks.
import examples from 'libphonenumber-js/examples.mobile.json';
import { type CountryCode, getExampleNumber } from 'libphonenumber-js/max';
import { parsePhone } from '../src/domain/phone/phone.ts';

export const DAY = 86_400;

/** A seeded PRNG (mulberry32), so every run replays the same day. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
export type Random = ReturnType<typeof seeded>;

export interface Send {
  /** Seconds into the day. */
  readonly at: number;
  readonly phone: string;
  /** Pumped sends are never approved. */
  readonly pumped: boolean;
  /** For a person: seconds after the send at which the code is typed in; null: never. */
  readonly approveAfter: number | null;
}

/**
 * Random valid mobile numbers of one range: the country's example mobile number with its last
 * `free` digits drawn at random, kept only when the numbering plan says it is a valid mobile.
 */
export function numberRange(country: string, head: number, random: Random, free = 5) {
  const example = getExampleNumber(country as CountryCode, examples)!.number;
  const fixed = example.slice(0, example.length - free - head);
  const headDigits = Array.from({ length: head }, () => Math.floor(random() * 10)).join('');
  const draw = (): string => {
    for (let i = 0; i < 50; i++) {
      const tail = Array.from({ length: free }, () => Math.floor(random() * 10)).join('');
      const phone = `${fixed}${headDigits}${tail}`;
      const parsed = parsePhone(phone, undefined, {});
      if (parsed.ok && (parsed.value.type === 'mobile' || parsed.value.type === 'fixed_line_or_mobile')) return phone;
    }
    return example;
  };
  return draw;
}

/** 30 countries with people in them, each converting at its own rate. */
export const HOME_COUNTRIES = [
  'US',
  'GB',
  'DE',
  'FR',
  'ES',
  'IT',
  'NL',
  'BR',
  'MX',
  'IN',
  'ID',
  'PH',
  'NG',
  'KE',
  'ZA',
  'EG',
  'TR',
  'PL',
  'SE',
  'NO',
  'JP',
  'KR',
  'AU',
  'CA',
  'AR',
  'CO',
  'VN',
  'TH',
  'PK',
  'BD',
];

/**
 * People: `perDay` sends spread over the day (busier by day), each country converting at 60–90 %
 * (or `lowCountry` at 25–35 %), its traffic in six ranges of unequal size, people typing their
 * code 15 s to 3 min after the send; one in ten who never types it asks again once, a minute later.
 * Plus a marketing push: 300 sign-ups in ten minutes to one range, converting like the rest.
 */
export function people(random: Random, perDay: number, lowCountry?: string): Send[] {
  const sends: Send[] = [];
  const countries = HOME_COUNTRIES.map((country, i) => ({
    conversion: country === lowCountry ? 0.25 + random() * 0.1 : 0.6 + random() * 0.3,
    ranges: Array.from({ length: 6 }, () => numberRange(country, 1, random)),
    weight: 1 / (i + 1),
  }));
  const total = countries.reduce((s, c) => s + c.weight, 0);
  const person = (at: number, country: (typeof countries)[number], range = 0) => {
    const phone = country.ranges[range]!();
    const converts = random() < country.conversion;
    const approveAfter = converts ? 15 + random() * 165 : null;
    sends.push({ at, phone, pumped: false, approveAfter });
    if (!converts && random() < 0.1) {
      sends.push({ at: at + 60, phone, pumped: false, approveAfter: random() < 0.5 ? 20 + random() * 60 : null });
    }
  };
  for (let i = 0; i < perDay; i++) {
    // Twice as busy at midday as at midnight.
    const at = daytime(random);
    let pick = random() * total;
    const country = countries.find((c) => (pick -= c.weight) <= 0) ?? countries[0]!;
    // Ranges of unequal size: the first gets half the country's traffic.
    const range = random() < 0.5 ? 0 : 1 + Math.floor(random() * 5);
    person(at, country, range);
  }
  const push = countries[1]!;
  for (let i = 0; i < 300; i++) person(9 * 3600 + random() * 600, push, 0);
  return sends;
}

function daytime(random: Random): number {
  for (;;) {
    const at = random() * DAY;
    if (random() < 0.5 + 0.5 * Math.sin((Math.PI * at) / DAY)) return at;
  }
}

/** Pumped sends: `count` to numbers drawn from `ranges`, evenly between `from` and `to` seconds. */
export function pumping(ranges: (() => string)[], count: number, from: number, to: number, random: Random): Send[] {
  return Array.from({ length: count }, (_, i) => ({
    at: from + ((to - from) * i) / count + random(),
    phone: ranges[i % ranges.length]!(),
    pumped: true,
    approveAfter: null,
  }));
}
