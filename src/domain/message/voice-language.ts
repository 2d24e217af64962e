// The language a call speaks: a BCP 47 tag both Twilio's and Vonage's text-to-speech voices take.

/** Languages a built-in spoken text exists for, with the voice each is said in. */
const VOICE_LANGUAGES: Readonly<Record<string, string>> = {
  en: 'en-US',
  es: 'es-ES',
  fr: 'fr-FR',
  de: 'de-DE',
  pt: 'pt-BR',
};

/** The voice for a message's locale (its language alone decides); English where there is none. */
export function voiceLanguage(locale: string | undefined): string {
  return VOICE_LANGUAGES[locale?.toLowerCase().split(/[-_]/)[0] ?? 'en'] ?? 'en-US';
}
