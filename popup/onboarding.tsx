/**
 * Entry of the onboarding tab (`onboarding.html`), opened on install and from the popup's
 * first-run banner: refuses to run framed, then mounts the app.
 * @module
 */
import './frame-guard.js';
import { render } from 'preact';
import { ensureMessages } from './i18n.js';
import { OnboardingApp } from './onboarding-app.js';

const root = document.getElementById('app');
if (root === null) throw new Error('onboarding.html has no #app element');
// Strings first (one synchronous check; a fetch of the English catalog only if the browser has none).
void ensureMessages().then(() => render(<OnboardingApp />, root));
