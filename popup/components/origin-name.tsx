/**
 * An origin as a person should read it: scheme and port muted, the host emphasised, nothing
 * truncated (a shortened host is how look-alike addresses get past people).
 * @module
 */
import { Fragment } from 'preact';
import { originParts } from '../format.js';

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
  return (
    <span class={`origin ${className ?? ''}`.trim()} title={origin}>
      {scheme && <span class="origin__muted">{scheme}</span>}
      <strong class="origin__host">{breakableHost(host)}</strong>
      {port && <span class="origin__muted">{port}</span>}
    </span>
  );
}
