/**
 * What a service session's login means, before any master signs it: which account signs, at
 * which service, for which site; and when the service belongs to another party than the site,
 * a warning and the second, deliberate confirmation the worker requires.
 * @module
 */
import type { LoginConsent } from '../../src/protocol/extension-rpc.js';
import { t } from '../i18n.js';
import { tRich } from '../approval/t-rich.js';
import { OriginName } from './origin-name.js';
import { PunycodeWarning } from './punycode-warning.js';
import { Callout } from './callout.js';

export interface LoginConsentProps {
  login: LoginConsent;
  acknowledged: boolean;
  onAcknowledge: (v: boolean) => void;
}

export function LoginConsentView({ login, acknowledged, onAcknowledge }: LoginConsentProps) {
  const account = login.account === null ? null : <code class="address">{login.account}</code>;
  const signer =
    login.signer === 'vault'
      ? account === null
        ? t('loginVaultNoAccount')
        : tRich('loginVaultSigns', account)
      : account === null
        ? t('loginPagePasskey')
        : tRich('loginPageWallet', account);
  return (
    <section class="login-consent" aria-labelledby="login-consent-title">
      <p class="eyebrow" id="login-consent-title">
        {t('loginTitle')}
      </p>
      <p class="login-consent__line">{tRich('loginAtFor', <OriginName origin={login.service} />, <OriginName origin={login.site} />)}</p>
      <PunycodeWarning origin={login.service} whose="service" />
      <p class="login-consent__line" data-testid="login-signer">
        {signer}
      </p>
      {login.crossSite && (
        <>
          <Callout tone="danger" alert>{tRich('loginCrossSite', <strong>{login.serviceHost.domain}</strong>, <strong>{login.siteHost.domain}</strong>)}</Callout>
          <label class="check">
            <input type="checkbox" checked={acknowledged} onChange={(e) => onAcknowledge(e.currentTarget.checked)} />
            <span>{t('loginTrust', login.siteHost.domain, login.serviceHost.domain)}</span>
          </label>
        </>
      )}
    </section>
  );
}
