/**
 * The popup's three views as tabs (WAI-ARIA tabs pattern): Tab reaches the selected tab,
 * Left/Right (and Home/End) move between them, and the panel follows.
 * @module
 */
import { useRef } from 'preact/hooks';
import { t } from '../i18n.js';

export interface TabDef<K extends string> {
  key: K;
  label: string;
  /** A small count beside the label, e.g. waiting items. */
  count?: number;
}

export interface ViewTabsProps<K extends string> {
  tabs: TabDef<K>[];
  selected: K;
  onSelect: (key: K) => void;
  /** The id prefix shared with the panels: tab `${idPrefix}-tab-${key}`, panel `${idPrefix}-panel-${key}`. */
  idPrefix: string;
}

export function ViewTabs<K extends string>({ tabs, selected, onSelect, idPrefix }: ViewTabsProps<K>) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const move = (from: number, to: number) => {
    const next = tabs[(to + tabs.length) % tabs.length]!;
    if (from === to) return;
    onSelect(next.key);
    refs.current[next.key]?.focus();
  };
  return (
    <nav class="tabs" aria-label={t('tabsNavLabel')}>
      <div class="tabs__list" role="tablist" aria-label={t('tabsListLabel')}>
        {tabs.map((t, i) => {
          const on = t.key === selected;
          return (
            <button
              key={t.key}
              type="button"
              role="tab"
              class={`tabs__tab ${on ? 'tabs__tab--on' : ''}`}
              id={`${idPrefix}-tab-${t.key}`}
              aria-selected={on}
              aria-controls={on ? `${idPrefix}-panel-${t.key}` : undefined}
              tabIndex={on ? 0 : -1}
              ref={(el) => {
                refs.current[t.key] = el;
              }}
              onClick={() => onSelect(t.key)}
              onKeyDown={(e) => {
                const to = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : null;
                if (to === null) return;
                e.preventDefault();
                move(i, to);
              }}
            >
              {t.label}
            </button>
          );
        })}
      </div>
    </nav>
  );
}
