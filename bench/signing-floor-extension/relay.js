// Forwards page messages to the worker and answers back, as bench/floor-extension/relay.js does
// (its own channel tag, so both floors can load beside Keyhold).
let port = null;
window.addEventListener('message', (e) => {
  if (e.source !== window || !e.data || e.data.dir !== 'to-signing-floor') return;
  if (!port) {
    port = chrome.runtime.connect();
    port.onMessage.addListener((m) => window.postMessage({ dir: 'from-signing-floor', m }, location.origin));
    port.onDisconnect.addListener(() => { port = null; });
  }
  port.postMessage(e.data.m);
});
