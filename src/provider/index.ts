/**
 * Entry of the page provider (MAIN-world content script at document_start): wiring only.
 * @module
 */
import { announce } from './eip6963.js';
import { KeyholdProvider } from './provider.js';
import { WindowTransport } from './transport.js';

const provider = new KeyholdProvider(new WindowTransport(window));
Object.defineProperty(window, 'keyhold', { value: provider, writable: false, configurable: false, enumerable: false });
announce(window, provider);
