/**
 * First run: create a vault (a new recovery phrase, shown once and confirmed), import one (a
 * phrase or a private key), or continue without one. Every secret goes into a password-type
 * field with autocomplete off, so the browser never saves it for session restore.
 * @module
 */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { VaultSecretInput } from '../../src/protocol/vault-rpc.js';
import { PasswordField } from '../components/password-field.js';
import { t } from '../i18n.js';
import { call } from '../rpc.js';
import { Callout } from '../components/callout.js';

type Mode = 'create' | 'import';
type Step = { kind: 'form' } | { kind: 'phrase'; mnemonic: string } | { kind: 'confirm'; mnemonic: string; ask: [number, number] };

const MIN_PASSWORD = 8;

function passwordProblem(password: string, confirm: string): string {
  if ([...password].length < MIN_PASSWORD) return t('setupPasswordShort', MIN_PASSWORD);
  if (password !== confirm) return t('setupPasswordMismatch');
  return '';
}

/** Two distinct word positions (0-based) to ask back. */
function pickTwo(count: number): [number, number] {
  const r = crypto.getRandomValues(new Uint32Array(2));
  const a = r[0]! % count;
  const b = (a + 1 + (r[1]! % (count - 1))) % count;
  return a < b ? [a, b] : [b, a];
}

export interface SetupViewProps {
  onDone: () => void;
  onSkip: () => void;
  /** Focus the heading when the view first shows (not in the onboarding tab, where the explanation comes first). */
  focusFirst?: boolean;
}

export function SetupView({ onDone, onSkip, focusFirst = true }: SetupViewProps) {
  const [mode, setMode] = useState<Mode>('create');
  const [step, setStep] = useState<Step>({ kind: 'form' });
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [secretKind, setSecretKind] = useState<'mnemonic' | 'privateKey'>('mnemonic');
  const [secret, setSecret] = useState('');
  const [accounts, setAccounts] = useState('1');
  const [words, setWords] = useState<[string, string]>(['', '']);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const shown = useRef(false);
  useLayoutEffect(() => {
    if (shown.current || focusFirst) headingRef.current?.focus();
    shown.current = true;
  }, [step.kind, mode]);

  async function run(fn: () => Promise<void>): Promise<void> {
    setBusy(true);
    setError('');
    try {
      await fn();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  const create = (input: VaultSecretInput) =>
    run(async () => {
      await call('vault_create', { password, secret: input });
      setPassword('');
      setConfirm('');
      setSecret('');
      onDone();
    });

  function submitForm(e: Event): void {
    e.preventDefault();
    const problem = passwordProblem(password, confirm);
    if (problem) return setError(problem);
    if (mode === 'create') {
      void run(async () => setStep({ kind: 'phrase', mnemonic: (await call('vault_generateMnemonic', { words: 12 })).mnemonic }));
    } else {
      void create(secretKind === 'mnemonic' ? { kind: 'mnemonic', mnemonic: secret, accounts: Number(accounts) } : { kind: 'privateKey', privateKey: secret });
    }
  }

  if (step.kind === 'phrase') {
    const list = step.mnemonic.split(' ');
    return (
      <section class="card vault-setup" aria-labelledby="setup-title">
        <h2 class="vault-setup__title" id="setup-title" tabIndex={-1} ref={headingRef}>
          {t('setupPhraseTitle')}
        </h2>
        <Callout tone="warn">{t('setupPhraseWarning')}</Callout>
        <ol class="mnemonic" aria-label={t('setupPhraseList')}>
          {list.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ol>
        <button type="button" class="btn btn--primary btn--block" onClick={() => setStep({ kind: 'confirm', mnemonic: step.mnemonic, ask: pickTwo(list.length) })}>
          {t('setupWroteItDown')}
        </button>
      </section>
    );
  }

  if (step.kind === 'confirm') {
    const list = step.mnemonic.split(' ');
    const [a, b] = step.ask;
    const submitConfirm = (e: Event) => {
      e.preventDefault();
      if (words[0].trim().toLowerCase() !== list[a] || words[1].trim().toLowerCase() !== list[b]) {
        setError(t('setupWordsMismatch'));
        return;
      }
      void create({ kind: 'mnemonic', mnemonic: step.mnemonic, accounts: 1 });
    };
    return (
      <form class="card vault-setup form" aria-labelledby="setup-title" onSubmit={submitConfirm}>
        <h2 class="vault-setup__title" id="setup-title" tabIndex={-1} ref={headingRef}>
          {t('setupConfirmTitle')}
        </h2>
        <PasswordField id="confirm-word-a" label={t('setupWord', a + 1)} value={words[0]} onInput={(v) => setWords([v, words[1]])} />
        <PasswordField id="confirm-word-b" label={t('setupWord', b + 1)} value={words[1]} onInput={(v) => setWords([words[0], v])} />
        <p class="form__error" role="alert">
          {error}
        </p>
        <div class="form__row">
          <button type="button" class="btn btn--ghost" onClick={() => setStep({ kind: 'phrase', mnemonic: step.mnemonic })}>
            {t('setupShowAgain')}
          </button>
          <button type="submit" class="btn btn--primary" disabled={busy}>
            {t('setupConfirm')}
          </button>
        </div>
      </form>
    );
  }

  return (
    <form class="card vault-setup form" aria-labelledby="setup-title" onSubmit={submitForm}>
      <h2 class="vault-setup__title" id="setup-title" tabIndex={-1} ref={headingRef}>
        {t('setupTitle')}
      </h2>
      <p class="form__intro">
        {t('setupIntro')}
      </p>
      <div class="segmented" role="radiogroup" aria-label={t('setupHow')}>
        {(['create', 'import'] as const).map((m) => (
          <label key={m} class={`segmented__item ${mode === m ? 'segmented__item--on' : ''}`}>
            <input type="radio" name="setup-mode" checked={mode === m} onChange={() => { setMode(m); setError(''); }} />
            {m === 'create' ? t('setupModeNew') : t('setupModeImport')}
          </label>
        ))}
      </div>
      {mode === 'import' && (
        <>
          <div class="field">
            <label class="field__label" for="import-kind">
              {t('setupKeyType')}
            </label>
            <select class="field__input" id="import-kind" value={secretKind} onChange={(e) => {
                const kind = e.currentTarget.value;
                if (kind === 'mnemonic' || kind === 'privateKey') setSecretKind(kind);
              }}>
              <option value="mnemonic">{t('setupKindMnemonic')}</option>
              <option value="privateKey">{t('setupKindPrivateKey')}</option>
            </select>
          </div>
          <PasswordField id="import-secret" label={secretKind === 'mnemonic' ? t('setupPhraseLabel') : t('setupPrivateKeyLabel')} value={secret} onInput={setSecret} />
          {secretKind === 'mnemonic' && (
            <div class="field">
              <label class="field__label" for="import-accounts">
                {t('setupAccounts')}
              </label>
              <input class="field__input" id="import-accounts" type="number" min={1} max={10} value={accounts} onInput={(e) => setAccounts(e.currentTarget.value)} />
            </div>
          )}
        </>
      )}
      <PasswordField id="setup-password" label={t('setupPassword')} value={password} onInput={setPassword} />
      <PasswordField id="setup-confirm" label={t('setupConfirmPassword')} value={confirm} onInput={setConfirm} />
      <p class="form__error" role="alert">
        {error}
      </p>
      <button type="submit" class="btn btn--primary btn--block" disabled={busy}>
        {mode === 'create' ? t('setupCreate') : t('setupImport')}
      </button>
      <button type="button" class="btn btn--ghost btn--block" onClick={onSkip}>
        {t('setupSkip')}
      </button>
    </form>
  );
}
