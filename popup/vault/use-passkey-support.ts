/**
 * Whether this browser can use passkeys to unlock Keyhold here (`passkey.ts`), as state: false
 * until known, so no passkey control ever shows before it can work.
 * @module
 */
import { useEffect, useState } from 'preact/hooks';
import { passkeysSupported } from './passkey.js';

export function usePasskeySupport(): boolean {
  const [supported, setSupported] = useState(false);
  useEffect(() => {
    let live = true;
    void passkeysSupported().then((s) => live && setSupported(s));
    return () => {
      live = false;
    };
  }, []);
  return supported;
}
