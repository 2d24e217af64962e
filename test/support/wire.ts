// JSON that keeps what the store ports pass: dates and undefined (an absent argument is not null).
export const toWire = (value: unknown): string =>
  JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return { $date: raw.getTime() };
    return v === undefined ? { $undefined: true } : v;
  });

export const fromWire = (text: string): unknown =>
  JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && '$date' in v) return new Date((v as { $date: number }).$date);
    if (v && typeof v === 'object' && '$undefined' in v) return undefined;
    return v;
  });
