// Signs every request of a port message the way Keyhold's hot path must at the least, and
// nothing more: decode the base64 body, build Header(8) | RequestId(16) | Body | Auth(16), sign it
// with a non-extractable WebCrypto Ed25519 key, answer { payload, public_key, signature } in
// base64, all the message's answers in one port message. The key is made on the first request.
let keys = null;
const b64 = (bytes) => {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s);
};
const unb64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
async function keyPair() {
  const pair = await crypto.subtle.generateKey('Ed25519', false, ['sign']);
  return { privateKey: pair.privateKey, publicKey: b64(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey))) };
}
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
chrome.runtime.onConnect.addListener((port) => port.onMessage.addListener(async (m) => {
  keys ??= keyPair();
  const { privateKey, publicKey } = await keys;
  const responses = await Promise.all(m.requests.map(async ({ id, params: [p] }) => {
    const payload = payloadOf(p.requestType, unb64(p.body));
    const signature = new Uint8Array(await crypto.subtle.sign('Ed25519', privateKey, payload));
    return { id, result: { payload: b64(payload), public_key: publicKey, signature: b64(signature) } };
  }));
  port.postMessage({ responses });
}));
