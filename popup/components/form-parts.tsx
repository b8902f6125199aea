/**
 * What the settings panels' forms share: a labelled field with its hint, a name input, the
 * status line under a form, and the hook that runs a form's action and fills that line.
 * @module
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

/** What the status line says after an action: its success text, or the error's. */
export interface FormMessage {
  ok: boolean;
  text: string;
}

/** An error's text as the status line shows it. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export interface RunOptions {
  /** Mark the form busy while the action runs (and run nothing while it is). */
  track?: boolean;
  /** Clear the status line when the action starts. */
  clear?: boolean;
}

/**
 * A form's status and busy state, and `run`: it awaits an action, shows the text the action
 * returns (nothing when it returns none) or the error's, then calls `onDone` after a success.
 */
export function useFormAction(onDone: () => void) {
  const [message, setMessage] = useState<FormMessage | null>(null);
  const [busy, setBusy] = useState(false);
  async function run(action: () => Promise<string | undefined>, { track = false, clear = false }: RunOptions = {}): Promise<void> {
    if (track) {
      if (busy) return;
      setBusy(true);
    }
    if (clear) setMessage(null);
    try {
      const text = await action();
      if (text !== undefined) setMessage({ ok: true, text });
      onDone();
    } catch (err) {
      setMessage({ ok: false, text: errorText(err) });
    } finally {
      if (track) setBusy(false);
    }
  }
  return { message, busy, run };
}

/** The line under a form that says how its last action went; a live region. */
export function FormStatus({ message }: { message: FormMessage | null }) {
  return (
    <p class={`form__status ${message?.ok === false ? 'form__status--error' : ''}`} role="status">
      {message?.text ?? ''}
    </p>
  );
}

/** A labelled field; with `hint`, a hint below it whose id is `${id}-hint` (the control's `aria-describedby`). */
export function Field({ id, label, hint, children }: { id: string; label: string; hint?: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label class="field__label" for={id}>
        {label}
      </label>
      {children}
      {hint !== undefined && (
        <p class="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

/** A labelled input for a name (an account's, a passkey's): plain text, at most 64 characters. */
export function NameField({ id, label, value, onInput }: { id: string; label: string; value: string; onInput: (value: string) => void }) {
  return (
    <Field id={id} label={label}>
      <input class="field__input" id={id} type="text" maxLength={64} autocomplete="off" value={value} onInput={(e) => onInput(e.currentTarget.value)} />
    </Field>
  );
}
