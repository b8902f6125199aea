/**
 * A short pause before a consequential button works. When the approval window opens, is shown,
 * focused or brought forward, or what it shows changes, a click or key press already on its
 * way (meant for the page underneath, or for the previous request) must not approve.
 * @module
 */
import { useEffect, useState } from 'preact/hooks';
import { APPROVE_ARM_MS } from '../../src/protocol/extension-rpc.js';

/** `false` for `ms` after `key` changes, then `true`. */
export function useArmDelay(key: string | undefined, ms = APPROVE_ARM_MS): boolean {
  const [armedKey, setArmedKey] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (key === undefined) return;
    const timer = setTimeout(() => setArmedKey(key), ms);
    return () => clearTimeout(timer);
  }, [key, ms]);
  return key !== undefined && armedKey === key;
}

/**
 * A number that grows each time the window is shown (`visibilitychange` to visible), gains
 * focus, or is brought forward by the worker (`subscribeRaised`): part of the arming key, so
 * each of those re-arms Approve.
 */
export function useShownCount(subscribeRaised: (onRaised: () => void) => () => void): number {
  const [count, setCount] = useState(0);
  useEffect(() => {
    const bump = () => setCount((n) => n + 1);
    const onVisibility = () => {
      if (document.visibilityState === 'visible') bump();
    };
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('focus', bump);
    const unsubscribe = subscribeRaised(bump);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('focus', bump);
      unsubscribe();
    };
  }, [subscribeRaised]);
  return count;
}
