/**
 * A labelled password input. Secrets only ever go into `type="password"` fields with
 * autocomplete off: browsers do not save those for session restore, nor offer them elsewhere.
 * @module
 */
import type { Ref } from 'preact';

export interface PasswordFieldProps {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  inputRef?: Ref<HTMLInputElement>;
  describedBy?: string;
  disabled?: boolean;
}

export function PasswordField({ id, label, value, onInput, inputRef, describedBy, disabled }: PasswordFieldProps) {
  return (
    <div class="field">
      <label class="field__label" for={id}>
        {label}
      </label>
      <input
        class="field__input"
        id={id}
        ref={inputRef ?? null}
        type="password"
        autocomplete="off"
        autocapitalize="off"
        spellcheck={false}
        value={value}
        disabled={disabled}
        aria-describedby={describedBy}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
    </div>
  );
}
