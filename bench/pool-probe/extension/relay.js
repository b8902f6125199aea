// Forwards page messages to the service worker and answers back, as the bench's floors do (its own tag).
let port = null;
window.addEventListener('message', (e) => {
  if (e.source !== window || !e.data || e.data.dir !== 'to-pool-floor') return;
  if (!port) {
    port = chrome.runtime.connect();
    port.onMessage.addListener((m) => window.postMessage({ dir: 'from-pool-floor', m }, location.origin));
    port.onDisconnect.addListener(() => { port = null; });
  }
  port.postMessage(e.data.m);
});
