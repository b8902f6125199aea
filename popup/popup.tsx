/**
 * Entry of the toolbar popup (`popup.html`): refuses to run framed, then mounts the app.
 * @module
 */
import './frame-guard.js';
import { render } from 'preact';
import { ensureMessages } from './i18n.js';
import { PopupApp } from './popup-app.js';

const root = document.getElementById('app');
if (root === null) throw new Error('popup.html has no #app element');
// Strings first (one synchronous check; a fetch of the English catalog only if the browser has none).
void ensureMessages().then(() => render(<PopupApp />, root));
