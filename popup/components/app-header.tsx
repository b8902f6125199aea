/**
 * The banner of both pages: Keyhold's mark and name, with an optional aside on the right.
 * @module
 */
import type { ComponentChildren } from 'preact';
import { BrandMark } from './brand-mark.js';

export function AppHeader({ children }: { children?: ComponentChildren }) {
  return (
    <header class="app-header">
      <div class="app-header__brand">
        <BrandMark size={22} />
        <span class="app-header__name">Keyhold</span>
      </div>
      {children}
    </header>
  );
}
