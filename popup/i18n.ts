/**
 * The localisation layer of the popup, the approval window and the onboarding tab: the
 * extension convention, `_locales/<lang>/messages.json` read through the browser's i18n API, so a
 * translation is one file. English (`_locales/en/messages.json`) is complete and is the
 * manifest's `default_locale`; the browser falls back to it for a key a translation lacks.
 *
 * Keys are typed from the English catalog, so a key that does not exist fails to compile.
 * Substitutions are `$1`…`$9` in the message, as both browsers replace them.
 *
 * Outside an extension (Node unit tests) there is no i18n API: `useCatalog` installs a catalog
 * (the tests' setup installs English), and a key with no message renders as the key itself, so
 * a missing string is visible, never blank.
 * @module
 */
import type en from '../_locales/en/messages.json';

/** Every message key of the English catalog. */
export type MessageKey = keyof typeof en;

/** A catalog as `messages.json` holds it. */
export type Catalog = Readonly<Record<string, { readonly message: string }>>;

interface I18nApi {
  getMessage(name: string, substitutions?: string | string[]): string;
  getUILanguage?(): string;
}

function browserI18n(): I18nApi | undefined {
  const g = globalThis as { chrome?: { i18n?: I18nApi }; browser?: { i18n?: I18nApi } };
  return g.browser?.i18n ?? g.chrome?.i18n;
}

let catalog: Catalog | undefined;

/** Installs the catalog used where the browser has no i18n API (Node tests). */
export function useCatalog(messages: Catalog): void {
  catalog = messages;
}

/** Replaces `$1`…`$9` with the substitutions and `$$` with `$`, as the browsers do. */
function substitute(message: string, subs: readonly string[]): string {
  return message.replace(/\$(\$|[1-9])/g, (_, d: string) => (d === '$' ? '$' : (subs[Number(d) - 1] ?? '')));
}

/**
 * The message for `key` in the user's language, with `subs` in place of `$1`, `$2`…
 * @example t('sessionsCount', '3')
 */
export function t(key: MessageKey, ...subs: Array<string | number>): string {
  const strings = subs.map(String);
  const api = browserI18n();
  if (api !== undefined) {
    const message = api.getMessage(key, strings);
    if (message !== '') return message;
  }
  const entry = catalog?.[key];
  return entry === undefined ? key : substitute(entry.message, strings);
}

/**
 * A count with its noun, singular or plural, from two keys (`…_one`, `…_other`) whose message
 * has `$1` for the count: `tCount(3, 'sessionsCount_one', 'sessionsCount_other')` → "3 sessions".
 * Two forms suit English; a language with more plural forms adds keys and a rule here.
 */
export function tCount(n: number, one: MessageKey, other: MessageKey): string {
  return t(n === 1 ? one : other, n);
}

/** A key every catalog has, to tell whether the browser's catalog answers at all. */
const PROBE: MessageKey = 'actionTitle';

/**
 * Makes sure the page has its strings before it renders. Chromium was seen (about 1 time in 8,
 * in a test that closed a just-opened extension tab before it loaded) to answer `""` for every
 * key to the next extension page; then this reads the English catalog from the extension itself
 * (`_locales/en/messages.json`, nothing remote) so the page shows words, never keys. When the
 * browser answers, as it does, this costs one `getMessage` call and no fetch.
 */
export async function ensureMessages(): Promise<void> {
  const api = browserI18n();
  if (api === undefined || api.getMessage(PROBE) !== '' || catalog !== undefined) return;
  try {
    const response = await fetch('/_locales/en/messages.json');
    if (response.ok) useCatalog((await response.json()) as Catalog);
  } catch (error) {
    console.error('Keyhold: could not read the English catalog', error);
  }
}

/** The user's UI language as the browser reports it (for number and date formats), else "en". */
export function uiLanguage(): string {
  return browserI18n()?.getUILanguage?.() ?? 'en';
}
