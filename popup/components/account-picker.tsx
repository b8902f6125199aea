/**
 * Ticks which of the vault's accounts a site sees: one checkbox per account, named by the
 * account's name and address. Shared by the connect approval and a connected site on Home.
 * @module
 */
import { t } from '../i18n.js';

export interface AccountPickerProps {
  /** The fieldset's legend: its accessible name. */
  legend: string;
  /** The vault's accounts (any case) and their names, in the vault's order. */
  accounts: string[];
  names: string[];
  /** Lower-case addresses ticked. */
  picked: string[];
  onChange: (picked: string[]) => void;
  disabled?: boolean;
}

export function AccountPicker({ legend, accounts, names, picked, onChange, disabled }: AccountPickerProps) {
  const on = new Set(picked);
  const toggle = (a: string, checked: boolean) =>
    onChange(accounts.map((x) => x.toLowerCase()).filter((x) => (x === a ? checked : on.has(x))));
  return (
    <fieldset class="account-picker" disabled={disabled}>
      <legend class="field__label">{legend}</legend>
      {accounts.map((address, i) => {
        const a = address.toLowerCase();
        return (
          <label class="check account-picker__item" key={a}>
            <input type="checkbox" checked={on.has(a)} onChange={(e) => toggle(a, e.currentTarget.checked)} />
            <span>
              <span class="account-picker__name">{names[i] ?? t('accountNumbered', i + 1)}</span> <code class="address">{address}</code>
            </span>
          </label>
        );
      })}
    </fieldset>
  );
}
