// Holds the pool: `?n=` dedicated workers, each given the same non-extractable key (a CryptoKey
// clones between same-origin contexts). A port message from the service worker carries payloads;
// they are split over the workers and the signatures answered in their order.
const size = Number(new URLSearchParams(location.search).get('n') || 2);
const waiting = new Map();
let next = 0;
const ready = crypto.subtle.generateKey('Ed25519', false, ['sign']).then(async ({ privateKey, publicKey }) => {
  const workers = Array.from({ length: size }, () => {
    const w = new Worker('pool-worker.js');
    w.postMessage({ key: privateKey });
    w.onmessage = (e) => {
      waiting.get(e.data.id)(e.data.signatures);
      waiting.delete(e.data.id);
    };
    return w;
  });
  return { workers, publicKey: new Uint8Array(await crypto.subtle.exportKey('raw', publicKey)) };
});
chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== 'pool') return;
  port.onMessage.addListener(async ({ id, payloads }) => {
    const { workers, publicKey } = await ready;
    const per = Math.ceil(payloads.length / workers.length);
    const parts = [];
    for (let i = 0; i < workers.length && i * per < payloads.length; i++) {
      const part = ++next;
      parts.push(new Promise((resolve) => waiting.set(part, resolve)));
      workers[i].postMessage({ id: part, payloads: payloads.slice(i * per, (i + 1) * per) });
    }
    port.postMessage({ id, signatures: (await Promise.all(parts)).flat(), publicKey });
  });
});
