/**
 * The policy part of a session request: the request types by name and risk (and whose word the
 * names are), each rule in plain words, and controls that let the user tighten the limits (lower
 * a rate or a cap, ask before more request types) but never loosen them.
 * @module
 */
import { useState } from 'preact/hooks';
import type { ApprovalView } from '../../src/protocol/extension-rpc.js';
import type { SessionPolicy } from '../../src/protocol/policy.js';
import { fieldName, policyWords, typeName } from '../policy-words.js';
import { choosePolicy } from '../policy-choice.js';
import { t } from '../i18n.js';
import { riskWord } from '../approval/risk-word.js';

type SessionApproval = Extract<ApprovalView, { kind: 'createSession' }>;

export function PolicyRequest({ approval }: { approval: SessionApproval }) {
  const { params } = approval;
  const asked: SessionPolicy = params.policy ?? {};
  const [policy, setPolicy] = useState<SessionPolicy>(asked);
  const descriptor = params.descriptor?.descriptor;
  const update = (next: SessionPolicy) => {
    setPolicy(next);
    choosePolicy(approval.id, next);
  };
  /** A limit the user may lower (or set, when the site left it out); never raise past what was asked. */
  const limit = (key: 'maxPerMinute' | 'maxPerHour', label: string) => {
    const ceiling = asked[key];
    return (
      <label class="field">
        <span class="field__label">{label}</span>
        <input
          class="field__input"
          type="number"
          min={1}
          max={ceiling}
          step={1}
          value={policy[key] ?? ''}
          placeholder={ceiling === undefined ? t('policyNoLimit') : undefined}
          onInput={(e) => {
            const raw = e.currentTarget.value;
            const v = Number(raw);
            const next = { ...policy };
            if (raw === '' && ceiling === undefined) delete next[key];
            else if (Number.isSafeInteger(v) && v >= 1 && (ceiling === undefined || v <= ceiling)) next[key] = v;
            else return;
            update(next);
          }}
        />
      </label>
    );
  };
  const types = params.requestTypes ?? Object.keys(descriptor?.requestTypes ?? {}).map(Number);
  const words = policyWords(policy, descriptor);

  return (
    <section class="policy" aria-label={t('policyRegion')}>
      {descriptor && (
        <p class="fine-print" data-testid="descriptor-source">
          {params.descriptor!.source === 'service'
            ? t('policyTypesByService', descriptor.name)
            : t('policyTypesBySite')}
        </p>
      )}
      {descriptor && types.length > 0 && (
        <ul class="policy__types" aria-label={t('factRequestTypes')}>
          {types.map((t) => {
            const d = descriptor.requestTypes[String(t)];
            return (
              <li key={t}>
                {typeName(t, descriptor)} {d && <span class={`badge badge--risk-${d.risk}`}>{riskWord(d.risk)}</span>}
              </li>
            );
          })}
        </ul>
      )}
      <h3 class="eyebrow">{t('policyLimitsHeading')}</h3>
      {words.length === 0 ? (
        <p class="fine-print">{t('policyNoLimits')}</p>
      ) : (
        <ul class="policy__rules" aria-label={t('policyRules')}>
          {words.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <details class="policy__tighten">
        <summary>{t('policyTighten')}</summary>
        {limit('maxPerMinute', t('policyPerMinute'))}
        {limit('maxPerHour', t('policyPerHour'))}
        {(policy.caps ?? []).map((c, i) => (
          <label class="field" key={`${c.requestType}${c.pointer}`}>
            <span class="field__label">{t('policyCapLabel', typeName(c.requestType, descriptor), fieldName(c.pointer))}</span>
            <input
              class="field__input"
              type="number"
              min={0}
              max={asked.caps?.[i]?.max}
              value={c.max}
              onInput={(e) => {
                const v = Number(e.currentTarget.value);
                if (!Number.isFinite(v) || v < 0 || v > (asked.caps?.[i]?.max ?? 0)) return;
                update({ ...policy, caps: policy.caps!.map((x, j) => (j === i ? { ...x, max: v } : x)) });
              }}
            />
          </label>
        ))}
        {types.length > 0 && (
          <fieldset class="field">
            <legend class="field__label">{t('policyConfirmLegend')}</legend>
            {types.map((t) => {
              const required = asked.confirmTypes?.includes(t) ?? false;
              const on = policy.confirmTypes?.includes(t) ?? false;
              return (
                <label key={t}>
                  <input
                    type="checkbox"
                    checked={on}
                    disabled={required}
                    onChange={(e) => {
                      const set = new Set(policy.confirmTypes ?? []);
                      if (e.currentTarget.checked) set.add(t);
                      else set.delete(t);
                      const next = { ...policy };
                      if (set.size) next.confirmTypes = [...set].sort((a, b) => a - b);
                      else delete next.confirmTypes;
                      update(next);
                    }}
                  />{' '}
                  {typeName(t, descriptor)}
                </label>
              );
            })}
          </fieldset>
        )}
      </details>
    </section>
  );
}
