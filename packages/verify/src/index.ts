/**
 * `@keyhold/verify`: verify what Keyhold signs, on a service. Parses the JSON envelope and the
 * binary frame of `spec/signing.md`, verifies Ed25519 session keys (WebCrypto), secp256k1
 * masters (EIP-191, `@noble/curves`) and passkey assertions, checks the auth window with a
 * stated clock skew and the request id against a {@link ReplayGuard}, and refuses with typed
 * errors that carry their HTTP status. Runs on Node 20+, Bun, Deno and edge runtimes.
 * @module
 */
export { VerifyError } from './errors.js';
export { decodeBase64, encodeBase64, encodeBase64url } from './base64.js';
export { parsePayload, uuidText, SignatureType, RequestType, AUTH_WINDOW_MS, MAX_BODY_BYTES, MAX_PAYLOAD_BYTES, type Payload } from './payload.js';
export { parseSignedRequest, parseEnvelope, parseFrame, parseJsonObject, mediaType, type SignedRequest, type PasskeyAssertion } from './transport.js';
export { verifyEd25519 } from './ed25519.js';
export { verifySecp256k1, recoverSecp256k1, personalSignHash, ethereumAddress } from './secp256k1.js';
export { verifyPasskey, type PasskeyCredential } from './passkey.js';
export { checkAuthWindow, DEFAULT_CLOCK_SKEW, type ClockSkew } from './window.js';
export { MemoryReplayGuard, type ReplayGuard, type MemoryReplayGuardOptions } from './replay.js';
export { Verifier, type Policy, type Signer, type VerifiedRequest, type VerifierOptions } from './verifier.js';
export { verifyLogin, type LoginPolicy, type VerifiedLogin } from './login.js';
export { parseLoginMessage, type LoginMessage, type Role } from './login-message.js';
export { verify, verifyRequest, verifyLoginRequest, withVerification, readRequestBody } from './fetch.js';
export { keyholdMiddleware, verifyNodeRequest, verifyNodeLogin, sendVerifyError, type NodeRequestLike, type NodeResponseLike } from './node.js';
