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
