// What a text that goes into a message may hold: no control or bidirectional-override characters.

/**
 * Control characters (C0, DEL, C1) and the Unicode bidirectional controls (LRE … RLO, LRI … PDI,
 * LRM, RLM, ALM). A name such as "Bank\u202Ekoob" displays reversed on the phone, so a message
 * could read as another sender's; NUL and ESC reach provider APIs and terminals. Refused wherever
 * such a text comes from: environment, services file or request.
 */
const UNSAFE = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
/** The same, but a template may break lines. */
const UNSAFE_IN_TEMPLATE = /(?!\n)[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

/** Whether an app or friendly name is safe to put in a message. */
export const isSafeName = (text: string): boolean => !UNSAFE.test(text);

/** Whether a message template is safe: as a name, except that it may hold line feeds. */
export const isSafeTemplate = (text: string): boolean => !UNSAFE_IN_TEMPLATE.test(text);

/** What a refused text is told. */
export const UNSAFE_TEXT_RULE = 'must not contain control or bidirectional-override characters';

/** The longest `{app}` name (APP_NAME, a service's friendlyName, a request's app name). */
export const APP_NAME_MAX = 40;
