/**
 * A definition list of facts (term, value), the way both pages show what a session may do.
 * @module
 */
import type { ComponentChildren } from 'preact';

export interface Fact {
  term: string;
  value: ComponentChildren;
}

export function FactList({ facts, class: className }: { facts: Fact[]; class?: string }) {
  return (
    <dl class={`facts ${className ?? ''}`.trim()}>
      {facts.map(({ term, value }) => (
        <div class="facts__row" key={term}>
          <dt class="facts__term">{term}</dt>
          <dd class="facts__value">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
