/**
 * The demo exchange's page: what a trading site does with Keyhold instead of keeping a session
 * key and a device key in localStorage. Served by the reference service (`npm start`).
 * @module
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import {
  completeWithWallet,
  createSession,
  findKeyhold,
  listSessions,
  revokeSession,
  send,
  type Eip1193Provider,
  type KeyholdProvider,
  type Session,
  KeyholdError,
} from '../../packages/client/src/index.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const text = (s: string) => new TextEncoder().encode(s);
const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const PLACE_ORDER = 1;

let keyhold: KeyholdProvider | null = null;
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

/** The demo wallet as an EIP-1193 provider: its account, and personal_sign (EIP-191) as `0x` r‖s‖v. */
const demoWallet: Eip1193Provider = {
  async request({ method, params }) {
    if (method === 'eth_accounts' || method === 'eth_requestAccounts') return wallet ? [wallet.address] : [];
    if (method !== 'personal_sign' || !wallet) throw Object.assign(new Error(`The demo wallet does not do ${method}.`), { code: 4200 });
    const data = (params as [string])[0];
    const message = Uint8Array.from(data.slice(2).match(/../g) ?? [], (h) => parseInt(h, 16));
    const digest = keccak_256(new Uint8Array([...text(`\x19Ethereum Signed Message:\n${message.length}`), ...message]));
    const rec = secp256k1.sign(digest, wallet.secret, { prehash: false, format: 'recovered' });
    return `0x${hex(rec.subarray(1))}${(27 + rec[0]!).toString(16)}`;
  },
};

async function startSession(): Promise<void> {
  const created = await createSession(keyhold!, {
    ttlSeconds: Number($<HTMLSelectElement>('ttl').value),
    role: 'TRADING_ONLY',
    requestTypes: [PLACE_ORDER],
    label: 'Demo Exchange',
    // The demo wallet signs the login: Keyhold names its account in the message.
    service: { baseUrl: location.origin, address: wallet!.address },
  });
  showSession(created, 'Approved in Keyhold. Your wallet signs the login…');
  // With Keyhold's vault unlocked the session is active already; otherwise the wallet signs the login.
  const active = await completeWithWallet(keyhold!, demoWallet, created);
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
    const r = await send<{ order_id?: string; error?: { message: string } }>(keyhold!, {
      sessionId: session!.id,
      path: '/api/v1/orders',
      requestType: PLACE_ORDER,
      body: JSON.stringify(order),
    });
    answer.textContent = r.status === 200 ? `accepted ${r.body.order_id}` : `${r.status} ${r.body.error?.message ?? ''}`;
    answer.className = r.status === 200 ? 'ok' : 'bad';
  } catch (err) {
    answer.textContent = err instanceof KeyholdError ? `${err.code} ${err.message}` : String(err);
    answer.className = 'bad';
  }
}

async function refreshSessions(): Promise<void> {
  const list = await listSessions(keyhold!);
  $('sessions').replaceChildren(
    ...list.map((s) => {
      const li = document.createElement('li');
      li.append(Object.assign(document.createElement('span'), { className: 'mono', textContent: `${s.id} · ${s.status ?? 'local'} · until ${new Date(s.validUntil).toLocaleTimeString()}` }));
      const revoke = Object.assign(document.createElement('button'), { className: 'ghost', textContent: 'Revoke' });
      revoke.setAttribute('aria-label', `Revoke session ${s.id}`);
      revoke.onclick = () => void run(async () => {
        const r = await revokeSession(keyhold!, s.id);
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
    const textContent = err instanceof KeyholdError ? `${err.code}: ${err.message}` : String(err);
    $('session').append(Object.assign(document.createElement('p'), { className: 'bad', textContent }));
  }
}

void findKeyhold({ timeoutMs: 1000 }).then((found) => {
  keyhold = found;
  $('keyhold-status').textContent = found ? 'Keyhold connected' : 'Keyhold is not installed';
  $<HTMLButtonElement>('start').disabled = !keyhold || !wallet;
  if (found) void run(refreshSessions);
});

$('connect').addEventListener('click', connectDemoWallet);
$('start').addEventListener('click', () => void run(startSession));
$('order-form').addEventListener('submit', (e) => void run(() => placeOrder(e)));
