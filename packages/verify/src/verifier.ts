/**
 * Verifies a decoded signed request in the order of `spec/signing.md` §7: the endpoint's
 * request and signature type (400), key and signature shapes (400), the key (the service's own
 * lookup, 401), the signature (401), the auth window (401), replay (409).
 * @module
 */
import { encodeBase64, toHex } from './base64.js';
import { verifyLogin, type LoginPolicy, type VerifiedLogin } from './login.js';
import { assertEd25519Shapes, verifyEd25519 } from './ed25519.js';
import { VerifyError, badRequest, unauthorized } from './errors.js';
import { verifyPasskey, type PasskeyCredential } from './passkey.js';
import { SignatureType, type Payload } from './payload.js';
import { MemoryReplayGuard, type ReplayGuard } from './replay.js';
import { assertSecp256k1Shapes, ethereumAddress, verifySecp256k1 } from './secp256k1.js';
import { parseSignedRequest, type SignedRequest } from './transport.js';
import { DEFAULT_CLOCK_SKEW, checkAuthWindow, type ClockSkew } from './window.js';

/** Who signed, once the signature is verified. */
export type Signer =
  /** A session key (type 1): the raw 32-byte Ed25519 key. */
  | { kind: 'session'; scheme: 'ed25519'; publicKey: Uint8Array; publicKeyBase64: string }
  /** The master (type 2): the 33-byte compressed key and its Ethereum address (lower case). */
  | { kind: 'master'; scheme: 'secp256k1'; publicKey: Uint8Array; publicKeyBase64: string; address: string }
  /** The master (type 3): the registered credential's SPKI key and id. */
  | { kind: 'master'; scheme: 'passkey'; publicKey: Uint8Array; publicKeyBase64: string; credentialId: string };

/** A request whose signature, window and request id all passed. */
export interface VerifiedRequest<C = undefined> {
  signer: Signer;
  signatureType: SignatureType;
  requestType: number;
  /** The request id, lower-case UUID text. */
  requestId: string;
  /** The signed body, exactly as signed. */
  body: Uint8Array;
  issuedAtMs: number;
  expiresAtMs: number;
  /** The whole payload as received. */
  payload: Uint8Array;
  /** What the policy's `authorize` returned (the service's session, account…). */
  context: C;
}

/** What an endpoint accepts. */
export interface Policy<C = undefined> {
  /** The endpoint's request type(s); null or absent: any (`400 wrong_request_type`). */
  requestType?: number | readonly number[] | null;
  /** Which signer: session keys (default), the master (secp256k1 or passkey), or any (`400 wrong_signature_type`). */
  signer?: 'session' | 'master' | 'any';
  /**
   * The service's own check of the key, run before the signature is verified: is this session
   * key registered, live, allowed here? Throw a {@link VerifyError} to refuse (401 `unknown_session`
   * …). What it returns is the result's `context`. Without it, any well-signed key passes.
   */
  authorize?: (signer: Signer, payload: Payload) => C | Promise<C>;
}

export interface VerifierOptions {
  /** Where request ids are remembered (default: a {@link MemoryReplayGuard} of this verifier). */
  replayGuard?: ReplayGuard;
  /** The verifier's clock, Unix ms (default `Date.now`). */
  clock?: () => number;
  /** Allowance for the signer's clock (default 5 s each way). */
  clockSkew?: Partial<ClockSkew>;
  /** Finds a registered passkey by its credential id (standard base64); needed for type 3. */
  passkeys?: (credentialId: string) => PasskeyCredential | null | undefined | Promise<PasskeyCredential | null | undefined>;
  /** Largest body read by the adapters, bytes (default 131072); larger is 413. */
  maxBodyBytes?: number;
}

const SIGNERS = {
  session: [SignatureType.Ed25519],
  master: [SignatureType.Secp256k1, SignatureType.Passkey],
  any: [SignatureType.Ed25519, SignatureType.Secp256k1, SignatureType.Passkey],
} as const;

/** Verifies signed requests for one service: holds its replay guard, clock and passkey lookup. */
export class Verifier {
  readonly replayGuard: ReplayGuard;
  readonly clock: () => number;
  readonly clockSkew: ClockSkew;
  readonly maxBodyBytes: number;
  /** The passkey lookup this verifier was given. */
  readonly passkeys: VerifierOptions['passkeys'];

  constructor(options: VerifierOptions = {}) {
    this.replayGuard = options.replayGuard ?? new MemoryReplayGuard();
    this.clock = options.clock ?? Date.now;
    this.clockSkew = { ...DEFAULT_CLOCK_SKEW, ...options.clockSkew };
    this.maxBodyBytes = options.maxBodyBytes ?? 131_072;
    this.passkeys = options.passkeys;
  }

  /**
   * Verifies an HTTP body by its Content-Type (JSON envelope or binary frame).
   * @throws VerifyError with the status to answer
   */
  verifyBody<C = undefined>(contentType: string | null | undefined, body: Uint8Array, policy: Policy<C> = {}): Promise<VerifiedRequest<C>> {
    if (body.length > this.maxBodyBytes) return Promise.reject(new VerifyError(413, 'body_too_large', `request body exceeds ${this.maxBodyBytes} bytes`));
    let signed: SignedRequest;
    try {
      signed = parseSignedRequest(contentType, body);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.verifySigned(signed, policy);
  }

  /**
   * Verifies a login body: the bound login message, for this service and a site it serves,
   * signed by its master, its nonce single-use (see `login.ts`).
   * @throws VerifyError with the status to answer
   */
  verifyLogin(contentType: string | null | undefined, body: Uint8Array, policy: LoginPolicy): Promise<VerifiedLogin> {
    return verifyLogin(this, contentType, body, policy);
  }

  /**
   * Verifies a decoded request (see `parseSignedRequest`, `parseEnvelope`, `parseFrame`).
   * @throws VerifyError 400 wrong type or shape; 401 unknown key, bad signature, auth window;
   *   409 `replayed_request`; 503 when the replay store fails
   */
  async verifySigned<C = undefined>(signed: SignedRequest, policy: Policy<C> = {}): Promise<VerifiedRequest<C>> {
    const p = signed.payload;
    const types = policy.requestType;
    if (types !== undefined && types !== null && !(typeof types === 'number' ? [types] : types).includes(p.requestType)) {
      throw badRequest('wrong_request_type', `this endpoint takes request_type ${typeof types === 'number' ? types : types.join(' or ')}, got ${p.requestType}`);
    }
    const allowed: readonly number[] = SIGNERS[policy.signer ?? 'session'];
    if (!allowed.includes(p.signatureType)) {
      throw badRequest('wrong_signature_type', `this endpoint takes signature_type ${allowed.join(' or ')}, got ${p.signatureType}`);
    }
    const { signer, check } = await this.#signer(signed);
    const context = (policy.authorize ? await policy.authorize(signer, p) : undefined) as C;
    if (!(await check())) throw unauthorized('bad_signature', `${signer.scheme} signature does not verify`);
    const now = this.clock();
    checkAuthWindow(p, now, this.clockSkew);
    let first: boolean;
    try {
      first = await this.replayGuard.claim(toHex(p.requestId), p.expiresAtMs + this.clockSkew.behindMs, now);
    } catch (err) {
      if (err instanceof VerifyError) throw err;
      throw new VerifyError(503, 'replay_store_unavailable', 'the replay store did not answer; try again');
    }
    if (!first) throw new VerifyError(409, 'replayed_request', 'this request_id was already used');
    return {
      signer,
      signatureType: p.signatureType,
      requestType: p.requestType,
      requestId: p.requestIdText,
      body: p.body,
      issuedAtMs: p.issuedAtMs,
      expiresAtMs: p.expiresAtMs,
      payload: p.bytes,
      context,
    };
  }

  /** The signer's identity (shapes checked), and the deferred check of its signature. */
  async #signer(signed: SignedRequest): Promise<{ signer: Signer; check: () => Promise<boolean> }> {
    const p = signed.payload;
    if (p.signatureType === SignatureType.Ed25519) {
      const publicKey = assertEd25519Shapes(signed.publicKey, signed.signature);
      return {
        signer: { kind: 'session', scheme: 'ed25519', publicKey, publicKeyBase64: encodeBase64(publicKey) },
        check: () => verifyEd25519(p.bytes, publicKey, signed.signature),
      };
    }
    if (p.signatureType === SignatureType.Secp256k1) {
      const publicKey = assertSecp256k1Shapes(signed.publicKey, signed.signature);
      let address: string;
      try {
        address = ethereumAddress(publicKey);
      } catch {
        // Not a curve point: no signature can recover to it.
        throw unauthorized('bad_signature', 'secp256k1 public_key is not a point on the curve');
      }
      return {
        signer: { kind: 'master', scheme: 'secp256k1', publicKey, publicKeyBase64: encodeBase64(publicKey), address },
        check: async () => verifySecp256k1(p.bytes, publicKey, signed.signature),
      };
    }
    const assertion = signed.assertion!;
    const credentialId = encodeBase64(assertion.credentialId);
    const credential = this.passkeys ? await this.passkeys(credentialId) : undefined;
    if (!credential) throw unauthorized('unknown_credential', 'no passkey with this credential_id is registered');
    return {
      signer: { kind: 'master', scheme: 'passkey', publicKey: credential.publicKeySpki, publicKeyBase64: encodeBase64(credential.publicKeySpki), credentialId },
      // verifyPasskey throws its own precise 401s; it returns only when the assertion holds.
      check: async () => {
        await verifyPasskey(p.bytes, { ...assertion, signature: signed.signature, publicKey: signed.publicKey }, credential);
        return true;
      },
    };
  }
}
