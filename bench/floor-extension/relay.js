// Forwards page messages to the worker and answers back: the same hops as Keyhold's relay. Like
// Keyhold's relay it connects lazily and again after the worker stopped (the cold-start floor).
let port = null;
window.addEventListener('message', (e) => {
  if (e.source !== window || !e.data || e.data.dir !== 'to-floor') return;
  if (!port) {
    port = chrome.runtime.connect();
    port.onMessage.addListener((m) => window.postMessage({ dir: 'from-floor', m }, location.origin));
    port.onDisconnect.addListener(() => { port = null; });
  }
  port.postMessage(e.data.m);
});
