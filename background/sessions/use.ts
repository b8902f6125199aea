/**
 * What a caller wants to do with a session: the question the session gate (`gate.ts`) answers
 * and a confirmation (`policy/confirm.ts`) shows. A leaf module, so the two need not import
 * each other for it.
 * @module
 */

export interface SessionUse {
  sessionId: string;
  /** The caller's origin, from the browser (`port.sender`). */
  origin: string;
  requestType: number;
  /** The body to be signed: the policy's rules and caps read it. */
  body: Uint8Array;
  /** Called when this use starts to wait on the user (a `confirmTypes` signature). */
  onWait?: (() => void) | undefined;
}
