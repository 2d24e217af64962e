// The built-in message text per language, worded to stay within the GSM-7 alphabet (one segment).

export const DEFAULT_TEMPLATES: Readonly<Record<string, string>> = {
  en: 'Your {app} code is {code}. It expires in {minutes} minutes.',
  // "codigo" without its accent: "ó" is outside GSM-7 and would halve the segment to 70 characters.
  es: 'Tu codigo de {app} es {code}. Caduca en {minutes} minutos.',
  fr: 'Votre code {app} est {code}. Il expire dans {minutes} minutes.',
  de: 'Ihr {app}-Code lautet {code}. Er läuft in {minutes} Minuten ab.',
  pt: 'Seu codigo {app} e {code}. Expira em {minutes} minutos.',
};

/** The built-in template for a language tag (`pt-BR` → `pt`), English when the language has none. */
export function defaultTemplate(locale: string | undefined): string {
  const language = locale?.toLowerCase().split(/[-_]/)[0] ?? 'en';
  return DEFAULT_TEMPLATES[language] ?? DEFAULT_TEMPLATES['en']!;
}

/**
 * What a call says, per language: the code is read digit by digit (`{digits}`: "1, 2, 3, 4, 5,
 * 6") and said twice, since a listener cannot scroll back.
 */
export const SPOKEN_TEMPLATES: Readonly<Record<string, string>> = {
  en: 'Your {app} code is: {digits}. Again, your code is: {digits}.',
  es: 'Tu codigo de {app} es: {digits}. Repito, tu codigo es: {digits}.',
  fr: 'Votre code {app} est : {digits}. Je répète, votre code est : {digits}.',
  de: 'Ihr {app}-Code lautet: {digits}. Noch einmal, Ihr Code lautet: {digits}.',
  pt: 'O seu codigo {app} e: {digits}. Repetindo, o seu codigo e: {digits}.',
};

/** The spoken template for a language tag, English when the language has none. */
export function spokenTemplate(locale: string | undefined): string {
  const language = locale?.toLowerCase().split(/[-_]/)[0] ?? 'en';
  return SPOKEN_TEMPLATES[language] ?? SPOKEN_TEMPLATES['en']!;
}

/** The language of a country's people where a built-in template speaks it (Twilio's behaviour). */
const COUNTRY_LANGUAGES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(['BR', 'PT', 'AO', 'MZ'].map((c) => [c, 'pt'])),
  ...Object.fromEntries(
    [
      'ES',
      'MX',
      'AR',
      'CO',
      'CL',
      'PE',
      'VE',
      'EC',
      'GT',
      'CU',
      'BO',
      'DO',
      'HN',
      'PY',
      'SV',
      'NI',
      'CR',
      'PA',
      'UY',
    ].map((c) => [c, 'es']),
  ),
  ...Object.fromEntries(['FR', 'SN', 'CI', 'ML', 'BF', 'NE', 'TG', 'BJ', 'MC', 'LU'].map((c) => [c, 'fr'])),
  ...Object.fromEntries(['DE', 'AT', 'LI'].map((c) => [c, 'de'])),
};

/** The locale a send with none takes: its number's country's language where a template has it. */
export const localeForCountry = (country: string | undefined): string | undefined =>
  country === undefined ? undefined : COUNTRY_LANGUAGES[country];
