/**
 * The demo exchange's page: what a trading site does with Keyhold instead of keeping a session
 * key and a device key in localStorage. Served by the reference service (`npm start`).
 * @module
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';

interface Provider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}
interface Session {
  id: string;
  publicKey: string;
  label: string | null;
  validUntil: string;
  status?: 'pending' | 'active';
  loginPayload?: string;
}
interface ProviderError {
  code: number;
  message: string;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const text = (s: string) => new TextEncoder().encode(s);
const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const PLACE_ORDER = 1;

let keyhold: Provider | null = null;
let wallet: { secret: Uint8Array; address: string } | null = null;
let session: Session | null = null;

/** A demo wallet: a secp256k1 key in this tab's memory, as a browser wallet would hold it. */
function connectDemoWallet(): void {
  const secret = secp256k1.utils.randomSecretKey();
  const address = `0x${hex(keccak_256(secp256k1.getPublicKey(secret, false).subarray(1)).subarray(-20))}`;
  wallet = { secret, address };
  $('wallet').textContent = `Connected ${address}`;
  $<HTMLButtonElement>('connect').disabled = true;
  $<HTMLButtonElement>('start').disabled = !keyhold;
}

/** personal_sign of Keyhold's login payload (EIP-191), as `0x` r‖s‖v. */
function personalSign(payload: Uint8Array): string {
  const digest = keccak_256(new Uint8Array([...text(`\x19Ethereum Signed Message:\n${payload.length}`), ...payload]));
  const rec = secp256k1.sign(digest, wallet!.secret, { prehash: false, format: 'recovered' });
  return `0x${hex(rec.subarray(1))}${(27 + rec[0]!).toString(16)}`;
}

async function startSession(): Promise<void> {
  const created = (await keyhold!.request({
    method: 'keyhold_createSession',
    params: [{ ttlSeconds: Number($<HTMLSelectElement>('ttl').value), role: 'TRADING_ONLY', requestTypes: [PLACE_ORDER], label: 'Demo Exchange', service: { baseUrl: location.origin } }],
  })) as Session;
  showSession(created, 'Approved in Keyhold. Your wallet signs the login…');
  const active =
    created.status === 'pending'
      ? ((await keyhold!.request({
          method: 'keyhold_completeSession',
          params: [{ sessionId: created.id, signature: personalSign(Uint8Array.from(atob(created.loginPayload!), (c) => c.charCodeAt(0))) }],
        })) as Session)
      : created;
  showSession(active, 'Logged in. Orders are signed by Keyhold and sent with its device key.');
  await refreshSessions();
}

function showSession(s: Session, note: string): void {
  session = s;
  $('session').innerHTML = '';
  const p = document.createElement('p');
  p.className = 'mono';
  p.textContent = `Session ${s.id} · ${s.status ?? 'active'} · key ${s.publicKey.slice(0, 12)}…`;
  const n = document.createElement('p');
  n.className = 'muted';
  n.textContent = note;
  $('session').append(p, n);
  $<HTMLButtonElement>('place').disabled = s.status !== 'active';
}

async function placeOrder(event: Event): Promise<void> {
  event.preventDefault();
  const order = { side: $<HTMLSelectElement>('side').value, qty: Number($<HTMLInputElement>('qty').value), symbol: $<HTMLInputElement>('symbol').value };
  const row = document.createElement('tr');
  for (const v of [new Date().toLocaleTimeString(), order.side, String(order.qty), order.symbol, '…']) row.append(Object.assign(document.createElement('td'), { textContent: v }));
  $('orders').prepend(row);
  const answer = row.lastElementChild as HTMLElement;
  try {
    const r = (await keyhold!.request({
      method: 'keyhold_send',
      params: [{ sessionId: session!.id, path: '/api/v1/orders', requestType: PLACE_ORDER, body: b64(text(JSON.stringify(order))) }],
    })) as { status: number; body: { order_id?: string; error?: { message: string } } };
    answer.textContent = r.status === 200 ? `accepted ${r.body.order_id}` : `${r.status} ${r.body.error?.message ?? ''}`;
    answer.className = r.status === 200 ? 'ok' : 'bad';
  } catch (err) {
    answer.textContent = `${(err as ProviderError).code} ${(err as ProviderError).message}`;
    answer.className = 'bad';
  }
}

async function refreshSessions(): Promise<void> {
  const list = (await keyhold!.request({ method: 'keyhold_listSessions' })) as Session[];
  $('sessions').replaceChildren(
    ...list.map((s) => {
      const li = document.createElement('li');
      li.append(Object.assign(document.createElement('span'), { className: 'mono', textContent: `${s.id} · ${s.status ?? 'local'} · until ${new Date(s.validUntil).toLocaleTimeString()}` }));
      const revoke = Object.assign(document.createElement('button'), { className: 'ghost', textContent: 'Revoke' });
      revoke.setAttribute('aria-label', `Revoke session ${s.id}`);
      revoke.onclick = () => void run(async () => {
        const r = (await keyhold!.request({ method: 'keyhold_revokeSession', params: [{ sessionId: s.id }] })) as { service?: string };
        if (session?.id === s.id) showSession({ ...s, status: 'pending' }, `Revoked: Keyhold deleted the key; the exchange ${r.service === 'revoked' ? 'confirmed the logout' : 'will be told when it answers'}.`);
        $<HTMLButtonElement>('place').disabled = true;
        await refreshSessions();
      });
      li.append(revoke);
      return li;
    }),
  );
  if (list.length === 0) $('sessions').append(Object.assign(document.createElement('li'), { textContent: 'None yet.' }));
}

async function run(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    $('session').append(Object.assign(document.createElement('p'), { className: 'bad', textContent: `${(err as ProviderError).code}: ${(err as ProviderError).message}` }));
  }
}

window.addEventListener('eip6963:announceProvider', (event) => {
  const { info, provider } = (event as CustomEvent<{ info: { rdns: string; name: string }; provider: Provider }>).detail;
  if (info.rdns !== 'dev.keyhold' || keyhold) return;
  keyhold = provider;
  $('keyhold-status').textContent = `${info.name} connected`;
  void run(refreshSessions);
});
window.dispatchEvent(new Event('eip6963:requestProvider'));
if (!keyhold) $('keyhold-status').textContent = 'Keyhold is not installed';

$('connect').addEventListener('click', connectDemoWallet);
$('start').addEventListener('click', () => void run(startSession));
$('order-form').addEventListener('submit', (e) => void run(() => placeOrder(e)));
