/**
 * What a service session's login means, before any master signs it: which account signs, at
 * which service, for which site; and when the service belongs to another party than the site,
 * a warning and the second, deliberate confirmation the worker requires.
 * @module
 */
import type { LoginConsent } from '../../src/protocol/extension-rpc.js';
import { OriginName } from './origin-name.js';
import { PunycodeWarning } from './punycode-warning.js';

export interface LoginConsentProps {
  login: LoginConsent;
  acknowledged: boolean;
  onAcknowledge: (v: boolean) => void;
}

export function LoginConsentView({ login, acknowledged, onAcknowledge }: LoginConsentProps) {
  const account = login.account === null ? null : <code class="address">{login.account}</code>;
  const signer =
    login.signer === 'vault' ? (
      account === null ? (
        <>Keyhold has no account yet: set one up in the toolbar popup, then ask the site again.</>
      ) : (
        <>Your Keyhold account {account} signs you in when you approve.</>
      )
    ) : account === null ? (
      <>The site's own passkey signs you in next; Keyhold does not sign.</>
    ) : (
      <>The site's own wallet, account {account}, signs you in next; Keyhold does not sign.</>
    );
  return (
    <section class="login-consent" aria-labelledby="login-consent-title">
      <p class="eyebrow" id="login-consent-title">
        Sign-in at a service
      </p>
      <p class="login-consent__line">
        Logs in to <OriginName origin={login.service} /> for <OriginName origin={login.site} />
      </p>
      <PunycodeWarning origin={login.service} subject="The service's address" />
      <p class="login-consent__line" data-testid="login-signer">
        {signer}
      </p>
      {login.crossSite && (
        <>
          <div class="callout callout--danger" role="alert">
            <span class="callout__icon" aria-hidden="true">!</span>
            <span>
              <strong>{login.serviceHost.domain}</strong> is not part of <strong>{login.siteHost.domain}</strong>, the site asking. A site
              that asks for a session at another service may be trying to trade or withdraw with your account there.
            </span>
          </div>
          <label class="check">
            <input type="checkbox" checked={acknowledged} onChange={(e) => onAcknowledge((e.currentTarget as HTMLInputElement).checked)} />
            <span>
              I trust {login.siteHost.domain} to use my account at {login.serviceHost.domain}.
            </span>
          </label>
        </>
      )}
    </section>
  );
}
