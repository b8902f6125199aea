/**
 * A short pause before a consequential button works. When the approval window opens, or a new
 * request slides to the head of the queue, a click or key press already on its way (meant for
 * the page underneath, or for the previous request) must not approve the new one.
 * @module
 */
import { useEffect, useState } from 'preact/hooks';

/** `false` for `ms` after `key` changes, then `true`. */
export function useArmDelay(key: string | undefined, ms = 500): boolean {
  const [armedKey, setArmedKey] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (key === undefined) return;
    const timer = setTimeout(() => setArmedKey(key), ms);
    return () => clearTimeout(timer);
  }, [key, ms]);
  return key !== undefined && armedKey === key;
}
