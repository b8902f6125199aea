// The signing floor's work (base64 body, payload, base64 answers), with the signatures made by
// the offscreen document's pool: each port message's requests go to it in slices of 128, and the
// message is answered once all are signed.
const SLICE = 128;
const POOL_SIZE = 2;
const b64 = (bytes) => {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s);
};
const unb64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
function payloadOf(requestType, body) {
  const out = new Uint8Array(40 + body.length);
  const view = new DataView(out.buffer);
  const now = Date.now();
  out[0] = 1;
  out[1] = 1;
  view.setUint16(2, requestType, true);
  view.setUint32(4, body.length, true);
  crypto.getRandomValues(out.subarray(8, 24));
  out.set(body, 24);
  view.setBigUint64(24 + body.length, BigInt(now), true);
  view.setBigUint64(32 + body.length, BigInt(now + 60_000), true);
  return out;
}
let poolPort = null;
let sent = 0;
const waiting = new Map();
async function pool() {
  if (poolPort) return poolPort;
  if (!(await chrome.offscreen.hasDocument())) {
    await chrome.offscreen.createDocument({ url: `offscreen.html?n=${POOL_SIZE}`, reasons: ['WORKERS'], justification: 'bench: signing on a worker pool' });
  }
  poolPort = chrome.runtime.connect({ name: 'pool' });
  poolPort.onMessage.addListener((m) => {
    waiting.get(m.id)(m);
    waiting.delete(m.id);
  });
  poolPort.onDisconnect.addListener(() => { poolPort = null; });
  return poolPort;
}
chrome.runtime.onConnect.addListener((port) => port.onMessage.addListener(async ({ requests }) => {
  const signer = await pool();
  const slices = [];
  for (let s = 0; s < requests.length; s += SLICE) {
    const slice = requests.slice(s, s + SLICE);
    const payloads = slice.map(({ params: [p] }) => payloadOf(p.requestType, unb64(p.body)));
    const id = ++sent;
    const signed = new Promise((resolve) => waiting.set(id, resolve));
    signer.postMessage({ id, payloads });
    slices.push(signed.then(({ signatures, publicKey }) => slice.map(({ id: rid }, i) => ({
      id: rid,
      result: { payload: b64(payloads[i]), public_key: b64(publicKey), signature: b64(signatures[i]) },
    }))));
  }
  port.postMessage({ responses: (await Promise.all(slices)).flat() });
}));
