/**
 * Loaded before every unit test (`--import`): installs the English catalog, so the popup's
 * localised strings read in Node as they do in the browser.
 * @module
 */
import en from '../../_locales/en/messages.json' with { type: 'json' };
import { useCatalog } from '../../popup/i18n.js';

useCatalog(en);
