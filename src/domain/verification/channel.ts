// The channels a code can go out on. Each provider declares the ones it has.

export const CHANNELS = ['sms', 'call', 'whatsapp'] as const;
export type Channel = (typeof CHANNELS)[number];
