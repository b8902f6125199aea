/**
 * An origin as a person should read it. In the approval window, where the worker split the
 * host by the Public Suffix List, the registrable domain comes first, alone and emphasised, on
 * line 1 (a look-alike such as `app.uniswap.org.….evil.example` reads as `evil.example`); the
 * whole origin follows on line 2, secondary, cut from the left so its end (the domain, the
 * port) always shows. Elsewhere the host is emphasised and nothing is truncated.
 * @module
 */
import { Fragment } from 'preact';
import { originParts } from '../format.js';
import { useHostSplit } from '../host-split.js';

/** The host with a line-break opportunity after each dot, so a long host wraps at a label. */
function breakableHost(host: string) {
  const labels = host.split('.');
  return labels.map((label, i) => (
    <Fragment key={i}>
      {label}
      {i < labels.length - 1 && (
        <>
          .<wbr />
        </>
      )}
    </Fragment>
  ));
}

export function OriginName({ origin, class: className }: { origin: string; class?: string }) {
  const { scheme, host, port } = originParts(origin);
  const split = useHostSplit(host);
  if (split !== undefined) {
    return (
      <span class={`origin origin--split ${className ?? ''}`.trim()} title={origin}>
        <strong class="origin__domain">{split.domain}</strong>
        <span class="origin__full">
          <bdi dir="ltr">
            <span class="origin__muted">{scheme}</span>
            {split.subdomain}
            <span class="origin__tail">{split.domain}</span>
            {port && <span class="origin__muted">{port}</span>}
          </bdi>
        </span>
      </span>
    );
  }
  return (
    <span class={`origin ${className ?? ''}`.trim()} title={origin}>
      {scheme && <span class="origin__muted">{scheme}</span>}
      <strong class="origin__host">{breakableHost(host)}</strong>
      {port && <span class="origin__muted">{port}</span>}
    </span>
  );
}
