/**
 * A consequential action that asks first: idle → confirming → running → done (or an error
 * shown in the question). After Cancel, focus goes back to the button that asked, so a
 * keyboard user never loses their place.
 * @module
 */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

export type ConfirmStep = { kind: 'idle' } | { kind: 'confirm'; busy: boolean; error: Error | null };

export interface Confirm {
  step: ConfirmStep;
  /** Put on the button that opens the question. */
  triggerRef: { current: HTMLButtonElement | null };
  open: () => void;
  cancel: () => void;
  /** Runs the action; closes the question when it succeeds, shows its error when it fails. */
  confirm: () => Promise<void>;
}

export function useConfirm(action: () => Promise<void>): Confirm {
  const [step, setStep] = useState<ConfirmStep>({ kind: 'idle' });
  const triggerRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useLayoutEffect(() => {
    if (step.kind !== 'idle' || !returnFocus.current) return;
    returnFocus.current = false;
    triggerRef.current?.focus();
  }, [step.kind]);

  return {
    step,
    triggerRef,
    open: () => setStep({ kind: 'confirm', busy: false, error: null }),
    cancel: () => {
      returnFocus.current = true;
      setStep({ kind: 'idle' });
    },
    confirm: async () => {
      setStep({ kind: 'confirm', busy: true, error: null });
      try {
        await action();
        setStep({ kind: 'idle' });
      } catch (e) {
        setStep({ kind: 'confirm', busy: false, error: e instanceof Error ? e : new Error(String(e)) });
      }
    },
  };
}
