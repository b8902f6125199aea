/**
 * Entry of the toolbar popup (`popup.html`): refuses to run framed, then mounts the app.
 * @module
 */
import './frame-guard.js';
import { render } from 'preact';
import { PopupApp } from './popup-app.js';

const root = document.getElementById('app');
if (root === null) throw new Error('popup.html has no #app element');
render(<PopupApp />, root);
