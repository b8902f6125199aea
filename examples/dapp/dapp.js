// The example dapp: what a trading site does with Keyhold instead of a key in localStorage.
const $ = (id) => document.getElementById(id);
const log = (text) => { const li = document.createElement('li'); li.textContent = `${new Date().toLocaleTimeString()} ${text}`; $('log').prepend(li); };
const b64 = (text) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

let provider = null;
let session = null;

window.addEventListener('eip6963:announceProvider', (event) => {
  if (event.detail.info.rdns !== 'dev.keyhold' || provider) return;
  provider = event.detail.provider;
  $('wallet').textContent = `Found ${event.detail.info.name} (EIP-6963).`;
  $('create').disabled = false;
  void restore();
});
window.dispatchEvent(new Event('eip6963:requestProvider'));
if (!provider) { $('wallet').textContent = 'Keyhold is not installed in this browser.'; $('create').disabled = true; }

async function restore() {
  const sessions = await provider.request({ method: 'keyhold_listSessions' });
  if (sessions.length) { show(sessions.at(-1)); log(`Found ${sessions.length} live session(s) for this site.`); }
}

function show(s) {
  session = s;
  $('session').textContent = s ? JSON.stringify(s, null, 2) : 'No session yet.';
  for (const id of ['revoke', 'sign', 'burst']) $(id).disabled = !s;
}

async function run(label, fn) {
  try { await fn(); } catch (err) { log(`${label} failed: ${err.code} ${err.message}`); }
}

$('create').onclick = () => run('Create session', async () => {
  log('Asking Keyhold for a session key: approve it in the Keyhold window.');
  show(await provider.request({ method: 'keyhold_createSession', params: [{ ttlSeconds: Number($('ttl').value), label: 'Example dapp' }] }));
  log(`Session ${session.id} created; its public key is ${session.publicKey}.`);
});

$('sign').onclick = () => run('Sign', async () => {
  const t0 = performance.now();
  const signed = await provider.request({ method: 'keyhold_signRequest', params: [{ sessionId: session.id, requestType: 1, body: b64($('body').value) }] });
  $('signed').textContent = JSON.stringify(signed, null, 2);
  log(`Signed in ${(performance.now() - t0).toFixed(2)} ms.`);
});

$('burst').onclick = () => run('Burst', async () => {
  const body = b64($('body').value);
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 1000 }, () => provider.request({ method: 'keyhold_signRequest', params: [{ sessionId: session.id, requestType: 1, body }] })));
  const ms = performance.now() - t0;
  log(`Signed 1,000 requests in ${ms.toFixed(0)} ms (${Math.round(1000 / (ms / 1000)).toLocaleString()} per second).`);
});

$('revoke').onclick = () => run('Revoke', async () => {
  await provider.request({ method: 'keyhold_revokeSession', params: [{ sessionId: session.id }] });
  log(`Session ${session.id} revoked; its key is deleted.`);
  show(null);
});
